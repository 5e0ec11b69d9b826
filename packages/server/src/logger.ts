import pino from "pino";

export type Logger = pino.Logger;

/** Log fields that may hold secrets: tokens, cookies, passwords and model provider keys. */
const redactedPaths = [
  "password",
  "token",
  "*.password",
  "*.token",
  "headers.authorization",
  "headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  // Model provider keys: config fields, admin settings bodies, provider request headers.
  "apiKey",
  "*.apiKey",
  "keys",
  "*.keys",
  "openaiApiKey",
  "anthropicApiKey",
  "openaiCompatibleApiKey",
  "*.openaiApiKey",
  "*.anthropicApiKey",
  "*.openaiCompatibleApiKey",
  'headers["x-api-key"]',
  'req.headers["x-api-key"]',
];

/** The server's logger. Secrets never go into log fields: tokens, cookies, passwords and provider keys are redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } }, destination);
}

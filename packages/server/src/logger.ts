import pino from "pino";

export type Logger = pino.Logger;

/** The server's logger. Secrets never go into log fields: tokens, cookies and passwords are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ["password", "token", "*.password", "*.token", "headers.authorization", "headers.cookie", "req.headers.authorization", "req.headers.cookie"],
      censor: "[redacted]",
    },
  });
}

import path from "node:path";
import { z } from "zod";

/**
 * Every setting of the server, its env name and its default. This is the only module
 * that reads `process.env`; everything else receives a `Config`.
 */
export const settings = {
  port: { env: "PORT", default: 3000, description: "HTTP port (the web app, `/api` and `/collab`)." },
  host: { env: "HOST", default: "127.0.0.1", description: "Interface to listen on; `0.0.0.0` to serve the network." },
  dataDir: { env: "COCANVAS_DATA_DIR", default: "./data", description: "Folder holding all data (SQLite database)." },
  publicUrl: {
    env: "COCANVAS_PUBLIC_URL",
    default: "",
    description: "Origin people use to reach the server (share links, WebSocket origin check). Empty: derived from each request.",
  },
  allowSignup: {
    env: "COCANVAS_ALLOW_SIGNUP",
    default: true,
    description: "Whether anyone may sign up. The first account may always be created and becomes admin. Admins can change it in the app.",
  },
  secureCookies: {
    env: "COCANVAS_SECURE_COOKIES",
    default: false,
    description: "Mark session cookies `Secure` (set when served over HTTPS).",
  },
  sessionDays: { env: "COCANVAS_SESSION_DAYS", default: 30, description: "Days a login session lasts." },
  maxBodyBytes: { env: "COCANVAS_MAX_BODY_BYTES", default: 10 * 1024 * 1024, description: "Largest JSON body accepted." },
  maxUploadBytes: { env: "COCANVAS_MAX_UPLOAD_BYTES", default: 10 * 1024 * 1024, description: "Largest image upload accepted." },
  maxWsMessageBytes: {
    env: "COCANVAS_MAX_WS_MESSAGE_BYTES",
    default: 16 * 1024 * 1024,
    description: "Largest WebSocket frame accepted on `/collab`; larger ones close the socket with 1009.",
  },
  wsMessagesPerSecond: {
    env: "COCANVAS_WS_MESSAGES_PER_SECOND",
    default: 500,
    description: "Messages per second one live connection may send (averaged over 5 s) before it is closed with 4429.",
  },
  compactAfterUpdates: {
    env: "COCANVAS_COMPACT_AFTER_UPDATES",
    default: 2000,
    description: "Logged updates after which a document is compacted into a snapshot.",
  },
  autoVersionMinutes: {
    env: "COCANVAS_AUTO_VERSION_MINUTES",
    default: 10,
    description: "While a canvas is edited, an automatic version is taken at most this often.",
  },
  logLevel: { env: "COCANVAS_LOG_LEVEL", default: "info", description: "pino log level (`debug`, `info`, `warn`, `error`, `silent`)." },
  // Models (docs/decisions/0005-models.md). Keys are never logged, returned by the API or sent to browsers.
  model: {
    env: "COCANVAS_MODEL",
    default: "",
    description: "Default model as `provider:model`: `openai:gpt-4.1-mini`, `anthropic:claude-sonnet-4-5`, `openai-compatible:NAME`, `ollama:qwen2.5`, `local:/path/model.gguf` or `local:NAME` (pulled). Admins and workspace owners can override it in the app.",
  },
  openaiApiKey: { env: "OPENAI_API_KEY", default: "", description: "API key of the `openai` provider (an admin can set one in the app instead)." },
  openaiBaseUrl: { env: "OPENAI_BASE_URL", default: "", description: "Other address for the `openai` provider, e.g. a proxy. Empty: https://api.openai.com/v1." },
  anthropicApiKey: { env: "ANTHROPIC_API_KEY", default: "", description: "API key of the `anthropic` provider (an admin can set one in the app instead)." },
  anthropicBaseUrl: { env: "ANTHROPIC_BASE_URL", default: "", description: "Other address for the `anthropic` provider. Empty: https://api.anthropic.com/v1." },
  openaiCompatibleBaseUrl: {
    env: "COCANVAS_OPENAI_COMPATIBLE_BASE_URL",
    default: "",
    description: "Address of any chat-completions server (vLLM, llama.cpp server, LM Studio, a gateway) for the `openai-compatible` provider, e.g. `http://127.0.0.1:8000/v1`.",
  },
  openaiCompatibleApiKey: { env: "COCANVAS_OPENAI_COMPATIBLE_API_KEY", default: "", description: "API key sent to the `openai-compatible` server, if it needs one." },
  ollamaBaseUrl: { env: "OLLAMA_BASE_URL", default: "http://127.0.0.1:11434/v1", description: "Ollama's OpenAI-compatible address, for the `ollama` provider." },
  modelsUrl: {
    env: "COCANVAS_MODELS_URL",
    default: "",
    description: "Mirror that `cocanvas models pull` downloads from (`<url>/<file name>`). Empty: each model's own address on Hugging Face.",
  },
  localThreads: {
    env: "COCANVAS_LOCAL_THREADS",
    default: 0,
    description: "CPU threads of the embedded (`local`) engine. 0 picks from the core count: 1 on 2 cores or fewer, else half the cores, at most 8.",
  },
  localContextSize: {
    env: "COCANVAS_LOCAL_CONTEXT_SIZE",
    default: 4096,
    description: "Context window, in tokens, of the embedded engine (capped at what the model was trained for).",
  },
  aiTimeoutSeconds: {
    env: "COCANVAS_AI_TIMEOUT_SECONDS",
    default: 180,
    description: "Longest an AI request on a canvas may run before it is stopped with a message in the chat (nothing it suggested is kept).",
  },
  smtpUrl: {
    env: "COCANVAS_SMTP_URL",
    default: "",
    description: "SMTP server for email (password resets, invitations, notifications), e.g. `smtps://user:pass@mail.example.com:465`. Empty: no email is sent, and the app says so where it matters.",
  },
  mailFrom: { env: "COCANVAS_MAIL_FROM", default: "Cocanvas <cocanvas@localhost>", description: "Sender address of the email Cocanvas sends." },
  // Tasks and the scheduler (docs/decisions/0010-scheduler-and-tasks.md).
  taskMinIntervalSeconds: {
    env: "COCANVAS_TASK_MIN_INTERVAL_SECONDS",
    default: 60,
    description: "Shortest interval a recurring task may have; a schedule that fires more often is refused with a 400.",
  },
  taskConcurrency: { env: "COCANVAS_TASK_CONCURRENCY", default: 4, description: "Task runs the server runs at once." },
  taskWorkspaceConcurrency: { env: "COCANVAS_TASK_WORKSPACE_CONCURRENCY", default: 2, description: "Task runs one workspace may have going at once (the rest wait their turn)." },
  taskRetrySeconds: {
    env: "COCANVAS_TASK_RETRY_SECONDS",
    default: 30,
    description: "Delay before a failed task run (model error, rate limit, timeout) is retried; it doubles with each attempt.",
  },
  schedulerPollSeconds: {
    env: "COCANVAS_SCHEDULER_POLL_SECONDS",
    default: 30,
    description: "The scheduler also looks for due jobs this often (jobs added by the CLI or another process); 0 = only when its own timer says so.",
  },
} as const;

type Settings = typeof settings;
export type Config = { -readonly [K in keyof Settings]: Settings[K]["default"] extends number ? number : Settings[K]["default"] extends boolean ? boolean : string };

const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value, context) => {
    if (["1", "true", "yes", "on"].includes(value)) return true;
    if (["0", "false", "no", "off"].includes(value)) return false;
    context.addIssue({ code: "custom", message: "expected true or false" });
    return z.NEVER;
  });

/** Thrown when a setting has a value that cannot be used; names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Resolves the configuration: explicit options win, then the environment, then defaults.
 * @example loadConfig({ port: 0, dataDir: "/tmp/x" }, {})
 */
export function loadConfig(options: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const config = {} as Record<string, unknown>;
  for (const [key, setting] of Object.entries(settings) as [keyof Config, Settings[keyof Config]][]) {
    const explicit = options[key];
    if (explicit !== undefined) {
      config[key] = explicit;
      continue;
    }
    const raw = env[setting.env];
    if (raw === undefined || raw === "") {
      config[key] = setting.default;
      continue;
    }
    const schema =
      typeof setting.default === "number"
        ? z.coerce.number().int().nonnegative()
        : typeof setting.default === "boolean"
          ? booleanText
          : z.string();
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(`${setting.env}=${JSON.stringify(raw)} is not valid: ${parsed.error.issues[0]?.message}`);
    }
    config[key] = parsed.data;
  }
  const resolved = config as Config;
  resolved.dataDir = path.resolve(resolved.dataDir);
  return resolved;
}

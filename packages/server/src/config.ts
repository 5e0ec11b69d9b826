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
    description: "Mark session cookies `Secure` (sent over HTTPS only). Unset: on when `COCANVAS_PUBLIC_URL` starts with `https://`.",
  },
  loginFailuresPerAddress: {
    env: "COCANVAS_LOGIN_FAILURES_PER_ADDRESS",
    default: 50,
    description: "Wrong passwords (and sign-ups with a taken email) one client address may send in 15 minutes, whatever the accounts, before its sign-ins are paused for the rest of the window. 0 turns this limit off.",
  },
  loginFailuresServerWide: {
    env: "COCANVAS_LOGIN_FAILURES_SERVER_WIDE",
    default: 1000,
    description: "Wrong passwords the whole server takes in 15 minutes; past it, every address that sent one in the window is paused (people who have not mistyped still sign in). 0 turns this limit off.",
  },
  sessionDays: { env: "COCANVAS_SESSION_DAYS", default: 30, description: "Days a login session lasts." },
  maxBodyBytes: { env: "COCANVAS_MAX_BODY_BYTES", default: 10 * 1024 * 1024, description: "Largest JSON body accepted." },
  maxUploadBytes: { env: "COCANVAS_MAX_UPLOAD_BYTES", default: 10 * 1024 * 1024, description: "Largest image upload accepted." },
  maxDataUploadBytes: {
    env: "COCANVAS_MAX_DATA_UPLOAD_BYTES",
    default: 1024 * 1024 * 1024,
    description: "Largest data file (CSV, TSV, JSON, NDJSON, Parquet) a workspace may upload as a table.",
  },
  sqlMemoryLimit: { env: "COCANVAS_SQL_MEMORY_LIMIT", default: "1GB", description: "Memory each workspace's DuckDB database may use for imports and queries (DuckDB syntax: `512MB`, `2GB`)." },
  sqlThreads: { env: "COCANVAS_SQL_THREADS", default: 0, description: "Threads each workspace's DuckDB database may use. 0: as many as the machine has cores." },
  sqlTimeoutSeconds: { env: "COCANVAS_SQL_TIMEOUT_SECONDS", default: 30, description: "Longest a SQL query may run before it is stopped (imports may take ten times as long)." },
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
  localModelDirs: {
    env: "COCANVAS_LOCAL_MODEL_DIRS",
    default: "",
    description: "Folders (separated by `:`) besides `<data>/models` whose `.gguf` files may be named as `local:/path/model.gguf` in the app (docs/decisions/0016-model-choice-and-ids-from-documents.md). Empty: only the models folder and the file `COCANVAS_MODEL` names.",
  },
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
  chainMaxRuns: {
    env: "COCANVAS_AGENT_CHAIN_RUNS",
    default: 6,
    description: "Most agent runs one request may lead to through hand-offs, the first included (an agent can set its own). A hand-off past it is refused with a note in the chat.",
  },
  chainMaxTokens: {
    env: "COCANVAS_AGENT_CHAIN_TOKENS",
    default: 300000,
    description: "Most tokens (in + out) all the runs of one request's chain of hand-offs may use together; then every run still going in it stops with a note in the chat.",
  },
  chainMaxSeconds: {
    env: "COCANVAS_AGENT_CHAIN_SECONDS",
    default: 600,
    description: "Longest one request's chain of hand-offs may run, from its first run's start; then every run still going in it stops with a note in the chat.",
  },
  smtpUrl: {
    env: "COCANVAS_SMTP_URL",
    default: "",
    description: "SMTP server for email (password resets, invitations, notifications), e.g. `smtps://user:pass@mail.example.com:465`. Empty: no email is sent, and the app says so where it matters.",
  },
  mailFrom: { env: "COCANVAS_MAIL_FROM", default: "Cocanvas <cocanvas@localhost>", description: "Sender address of the email Cocanvas sends." },
  // Notifications and the live event stream (docs/decisions/0011-notifications-and-live-events.md).
  eventsHeartbeatSeconds: {
    env: "COCANVAS_EVENTS_HEARTBEAT_SECONDS",
    default: 25,
    description: "How often the live event stream (`/api/events`) sends a heartbeat, so proxies keep it open; each one also re-checks the stream's session or token.",
  },
  webhookMaxAttempts: { env: "COCANVAS_WEBHOOK_MAX_ATTEMPTS", default: 6, description: "Tries per webhook payload (the first included) before it is marked failed." },
  webhookRetrySeconds: {
    env: "COCANVAS_WEBHOOK_RETRY_SECONDS",
    default: 30,
    description: "Wait before a webhook payload's second try; each later wait doubles (at most one hour).",
  },
  webhookTimeoutSeconds: { env: "COCANVAS_WEBHOOK_TIMEOUT_SECONDS", default: 10, description: "How long one webhook try waits for the receiver's answer." },
  webhookAllowPrivate: {
    env: "COCANVAS_WEBHOOK_ALLOW_PRIVATE",
    default: false,
    description: "Deliver webhooks to loopback and private-network addresses too (off: a webhook cannot be pointed at services inside the server's network).",
  },
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
  const defaulted = new Set<string>();
  for (const [key, setting] of Object.entries(settings) as [keyof Config, Settings[keyof Config]][]) {
    const explicit = options[key];
    if (explicit !== undefined) {
      config[key] = explicit;
      continue;
    }
    const raw = env[setting.env];
    if (raw === undefined || raw === "") {
      config[key] = setting.default;
      defaulted.add(key);
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
  // A server people reach over HTTPS marks its cookies Secure unless told otherwise.
  if (defaulted.has("secureCookies")) resolved.secureCookies = /^https:\/\//i.test(resolved.publicUrl.trim());
  return resolved;
}

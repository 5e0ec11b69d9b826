// Any new export added here becomes public API. Use named exports, not wildcards.
export { startServer, type RunningServer } from "./server.ts";
export { loadConfig, settings, ConfigError, type Config } from "./config.ts";
export { openSqliteStorage } from "./storage/sqlite-storage.ts";
export type { Storage, DocumentLog } from "./storage/storage.ts";

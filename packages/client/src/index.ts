// Any new export added here becomes public API. Use named exports, not wildcards.
export { CocanvasClient, type AskOptions, type CocanvasClientOptions, type RunDetails, type ActivityEntry } from "./client.ts";
export { CocanvasError } from "./errors.ts";
export { readServerSentEvents, type ServerSentEvent } from "./server-sent-events.ts";

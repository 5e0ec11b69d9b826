/** How an AI run stands. */
export type AiRunStatus = "running" | "done" | "stopped" | "failed";

/** A run as a follower first sees it (`run-state`): where it is now. */
export interface RunState {
  runId: string;
  status: AiRunStatus;
  /** The reply so far. */
  text: string;
  toolCalls: { name: string; input: unknown; result: string }[];
  suggestions: { id: string; status: string }[];
  error: string | null;
}

/**
 * The server-sent events of `GET /api/ai/runs/{id}/events`, named noun-verb like the AI
 * SDK's stream parts (each event's `data` is the JSON of one of these, `type` its name).
 * A follower gets `run-state` first (everything so far), then the changes; `run-status`
 * with a status other than `running` is the last event.
 */
export type RunEvent =
  | ({ type: "run-state" } & RunState)
  | { type: "text-delta"; delta: string }
  | { type: "tool-call-end"; name: string; input: unknown; result: string }
  | { type: "suggestion-start"; id: string }
  | { type: "suggestion-end"; id: string; status: string }
  | { type: "run-status"; status: AiRunStatus; error: string | null };

/**
 * Folds one event of a run's stream into its state: the server's feed keeps a run's state
 * this way for late followers, and clients rebuild it from the events they receive.
 */
export function applyRunEvent(state: RunState, event: Exclude<RunEvent, { type: "run-state" }>): void {
  switch (event.type) {
    case "text-delta":
      state.text += event.delta;
      break;
    case "tool-call-end":
      state.toolCalls.push({ name: event.name, input: event.input, result: event.result });
      break;
    case "suggestion-start":
      state.suggestions.push({ id: event.id, status: "streaming" });
      break;
    case "suggestion-end": {
      const known = state.suggestions.find((suggestion) => suggestion.id === event.id);
      if (known) known.status = event.status;
      else state.suggestions.push({ id: event.id, status: event.status });
      break;
    }
    case "run-status":
      state.status = event.status;
      state.error = event.error;
      break;
  }
}

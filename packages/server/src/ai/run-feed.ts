import type { AiRunStatus, RunEvent, RunState } from "@cocanvas/protocol";

export type { RunEvent, RunState };

export type RunListener = (event: RunEvent) => void;

/** The live state of one running run and the people following it (`GET /api/ai/runs/{id}/events`). */
export class RunFeed {
  private readonly state: RunState;
  private readonly listeners = new Set<RunListener>();

  constructor(runId: string) {
    this.state = { runId, status: "running", text: "", toolCalls: [], suggestions: [], error: null };
  }

  get status(): AiRunStatus {
    return this.state.status;
  }

  /** Sends the state so far to `listener` and then every change, until the returned function is called. */
  follow(listener: RunListener): () => void {
    listener({ type: "run-state", ...structuredClone(this.state) });
    if (this.state.status !== "running") return () => {};
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: Exclude<RunEvent, { type: "run-state" }>): void {
    const state = this.state;
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
    for (const listener of [...this.listeners]) listener(event);
    if (event.type === "run-status" && event.status !== "running") this.listeners.clear();
  }
}

import { applyRunEvent, type AiRunStatus, type RunEvent, type RunState } from "@cocanvas/protocol";

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
    applyRunEvent(this.state, event);
    for (const listener of [...this.listeners]) listener(event);
    if (event.type === "run-status" && event.status !== "running") this.listeners.clear();
  }
}

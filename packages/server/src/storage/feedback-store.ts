import type { FeedbackKind } from "./ai-store.ts";

/** Which feedback an export covers. Dates are ISO timestamps: `from` inclusive, `to` exclusive. */
export interface FeedbackFilter {
  workspaceId?: string;
  from?: string;
  to?: string;
  /** The run's model: `model` or `provider:model`. */
  model?: string;
  /** The run's agent: its name or its id. */
  agent?: string;
}

/** One piece of feedback that counts, with the run and suggestion it is about. */
export interface CountedFeedbackRow {
  feedbackId: number;
  kind: Exclude<FeedbackKind, "undone">;
  userId: string | null;
  finalText: string | null;
  decidedAt: string;
  canvasId: string;
  workspaceId: string;
  run: {
    id: string;
    userId: string | null;
    agent: string;
    agentId: string | null;
    provider: string;
    model: string;
    instruction: string;
    quickAction: string | null;
    /** JSON `{system, messages}`: what the model was sent. */
    prompt: string;
    toolCalls: string;
    createdAt: string;
  };
  suggestion: { id: string; target: string; oldText: string; newText: string; createdAt: string } | null;
}

/**
 * Reads for the preference-data export. Only the feedback that counts is returned:
 * for a suggestion, its latest decision (accepted, edited or rejected — a suggestion
 * whose latest decision is `undone` has none); for a run, each person's latest thumb.
 */
export interface FeedbackStore {
  /** Counted feedback after `afterId` (feedback ids ascend with time), at most `limit`. */
  page(filter: FeedbackFilter, afterId: number, limit: number): Promise<CountedFeedbackRow[]>;
  count(filter: FeedbackFilter): Promise<number>;
}

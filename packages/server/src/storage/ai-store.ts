import type { CanvasKind } from "@cocanvas/protocol";

export type AiRunStatus = "running" | "done" | "stopped" | "failed";

/** One model request on a canvas with its provenance: who, which model, what was sent, what it cost. */
export interface AiRunRow {
  id: string;
  canvasId: string;
  userId: string | null;
  agent: string;
  /** The agent's id (`builtin:critic` or a workspace agent's id). */
  agentId: string | null;
  /** The run that handed this work over, and how many hand-offs deep this run is. */
  parentRunId: string | null;
  /** The first run of the chain of hand-offs this run belongs to (its own id when a person asked). */
  chainId: string | null;
  depth: number;
  /** The comment thread the run answers, if a mention started it. */
  threadId: string | null;
  /** The task and task run that started it, if a task did. */
  taskId: string | null;
  taskRunId: string | null;
  provider: string;
  /** The model asked for. */
  model: string;
  /** The model that answered, as the provider reported it (e.g. a dated snapshot); null until the run ends. */
  responseModel: string | null;
  instruction: string;
  quickAction: string | null;
  /** The messages sent to the model (system prompt included), as JSON. */
  prompt: string;
  toolCalls: { name: string; input: unknown; result: string }[];
  status: AiRunStatus;
  error: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  firstTokenMs: number | null;
  latencyMs: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface AiSuggestionRow {
  id: string;
  runId: string;
  canvasId: string;
  /** "doc" or the path of a code file. */
  target: string;
  oldText: string;
  newText: string;
  status: string;
  createdAt: string;
}

export type FeedbackKind = "thumbs_up" | "thumbs_down" | "accepted" | "rejected" | "edited" | "undone";

export interface AiFeedbackRow {
  id: number;
  canvasId: string;
  runId: string;
  suggestionId: string | null;
  userId: string | null;
  kind: FeedbackKind;
  finalText: string | null;
  createdAt: string;
}

export interface QuickActionRow {
  id: string;
  userId: string | null;
  workspaceId: string | null;
  name: string;
  prompt: string;
  canvasKind: CanvasKind | "any";
  createdBy: string | null;
  createdAt: string;
}

/** What the co-editing runtime keeps: runs, their suggestions, feedback and saved quick actions. */
export interface AiStore {
  createRun(
    run: Omit<AiRunRow, "toolCalls" | "status" | "error" | "tokensIn" | "tokensOut" | "firstTokenMs" | "latencyMs" | "finishedAt" | "agentId" | "parentRunId" | "chainId" | "depth" | "threadId" | "responseModel" | "taskId" | "taskRunId"> &
      Partial<Pick<AiRunRow, "agentId" | "parentRunId" | "chainId" | "depth" | "threadId" | "taskId" | "taskRunId">>,
  ): Promise<void>;
  finishRun(id: string, fields: Pick<AiRunRow, "status" | "error" | "tokensIn" | "tokensOut" | "firstTokenMs" | "latencyMs" | "toolCalls"> & Partial<Pick<AiRunRow, "responseModel">>): Promise<void>;
  getRun(id: string): Promise<AiRunRow | null>;
  listRuns(canvasId: string, limit: number): Promise<AiRunRow[]>;
  /** Inserts or updates a suggestion's record (its text grows while it streams). */
  saveSuggestion(suggestion: Omit<AiSuggestionRow, "createdAt"> & { createdAt?: string }): Promise<void>;
  setSuggestionStatus(id: string, status: string): Promise<void>;
  getSuggestion(id: string): Promise<AiSuggestionRow | null>;
  listSuggestions(runId: string): Promise<AiSuggestionRow[]>;
  addFeedback(feedback: Omit<AiFeedbackRow, "id" | "createdAt">): Promise<void>;
  listFeedback(runId: string): Promise<AiFeedbackRow[]>;
  createQuickAction(action: Omit<QuickActionRow, "createdAt">): Promise<QuickActionRow>;
  /** A person's own quick actions and those shared with the workspace. */
  listQuickActions(userId: string, workspaceId: string): Promise<QuickActionRow[]>;
  getQuickAction(id: string): Promise<QuickActionRow | null>;
  deleteQuickAction(id: string): Promise<void>;
}

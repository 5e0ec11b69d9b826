import type { FeedbackKind } from "./ai-store.ts";

export type MemoryKind = "style" | "fact";

/** One thing remembered about a person in a workspace: a style rule or a fact. Never shared. */
export interface MemoryRow {
  id: string;
  userId: string;
  workspaceId: string;
  kind: MemoryKind;
  text: string;
  /** The newest AI run among the evidence the entry was distilled from (null: written by hand). */
  sourceRunId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A decision or a thumb one person gave on an AI run, with what it was about. */
export interface PersonalFeedbackRow {
  feedbackId: number;
  kind: FeedbackKind;
  finalText: string | null;
  createdAt: string;
  canvasId: string;
  runId: string;
  instruction: string;
  suggestionId: string | null;
  oldText: string | null;
  newText: string | null;
}

/** A request a person made to an AI on a canvas. */
export interface PersonalRunRow {
  id: string;
  canvasId: string;
  instruction: string;
  createdAt: string;
}

/**
 * Memory per person and workspace, and the reads reflection needs. Every read here is
 * keyed by one user id: nothing in this store returns another person's data.
 */
export interface MemoryStore {
  /** A person's entries in a workspace, newest first (those of one reflection in the order it gave them). */
  list(userId: string, workspaceId: string): Promise<MemoryRow[]>;
  get(id: string): Promise<MemoryRow | null>;
  add(entries: Omit<MemoryRow, "createdAt" | "updatedAt">[]): Promise<void>;
  updateText(id: string, text: string): Promise<MemoryRow | null>;
  delete(id: string): Promise<void>;
  /** Deletes a person's entries in a workspace; returns how many. */
  deleteAll(userId: string, workspaceId: string): Promise<number>;
  /** Keeps a person's `keep` most recently written (added or edited) entries in a workspace and deletes the rest; returns how many went. */
  trim(userId: string, workspaceId: string, keep: number): Promise<number>;

  /** When reflection last read this person's work in the workspace (null: never). */
  reflectedAt(userId: string, workspaceId: string): Promise<string | null>;
  setReflectedAt(userId: string, workspaceId: string, at: string): Promise<void>;

  /** The person's own feedback (decisions and thumbs) on runs in the workspace, after `since`, oldest first. */
  feedbackBy(userId: string, workspaceId: string, since: string | null, limit: number): Promise<PersonalFeedbackRow[]>;
  /** Runs the person started in the workspace after `since`, oldest first. */
  runsBy(userId: string, workspaceId: string, since: string | null, limit: number): Promise<PersonalRunRow[]>;
  /** People who started an AI run on the canvas, or gave feedback on one, after `since`. */
  activeOn(canvasId: string, since: string): Promise<string[]>;
  /** Canvases of the workspace (not in the trash) changed after `since`, or where the person started a run or gave feedback after it. */
  canvasesTouched(userId: string, workspaceId: string, since: string | null, limit: number): Promise<string[]>;
}

import * as Y from "yjs";

/** The name of the root `Y.Map` that holds every suggestion of a canvas: id → suggestion. */
export const suggestionsMapName = "suggestions";

/**
 * The transaction origin of accepting or rejecting in a browser. Editors add it to their
 * Y.UndoManager (see `trackSuggestionDecisions`) so a decision is one Ctrl+Z step.
 */
export const suggestionDecisionOrigin: object = Object.freeze({ name: "cocanvas-suggestion-decision" });

/** What a suggestion changes: the doc canvas's text, or one file of a code canvas. */
export type SuggestionTarget = { kind: "doc" } | { kind: "code"; path: string };

/**
 * - `streaming`: the agent is still writing `newText`.
 * - `pending`: complete, waiting for a person. `stopped`: the run was stopped; what
 *   arrived waits for a person like a pending one.
 * - `accepted` / `rejected`: decided by a person. `applied`: the AI applied it directly.
 * - `stale`: the text it targets changed, so it can no longer be applied.
 */
export type SuggestionStatus = "streaming" | "pending" | "accepted" | "rejected" | "stopped" | "applied" | "stale";

/** The agent that wrote a suggestion, as shown beside it. */
export interface SuggestionAgent {
  name: string;
  color: string;
}

/** Who decided. `id` is null for a decision no signed-in person made. */
export interface SuggestionDecider {
  id: string | null;
  name: string;
}

/** A suggestion read out of the Y.Doc, with its live status and resolved position. */
export interface SuggestionSnapshot {
  id: string;
  runId: string;
  target: SuggestionTarget;
  status: SuggestionStatus;
  /**
   * Where it is now, in the offsets of `suggestionTextView(doc, target)`: the range it
   * replaces while undecided, the text it wrote once accepted or applied. Null when the
   * anchors no longer point into the target (its paragraph or file was deleted).
   */
  from: number | null;
  to: number | null;
  oldText: string;
  newText: string;
  agent: SuggestionAgent;
  createdAt: string;
  decidedBy?: SuggestionDecider;
  decidedAt?: string;
  /** The text that was accepted, when the person edited it first. */
  finalText?: string;
}

/** Statuses that still wait for a decision (and can go stale). */
export const undecidedStatuses: ReadonlySet<SuggestionStatus> = new Set(["streaming", "pending", "stopped"]);

const allStatuses: ReadonlySet<string> = new Set(["streaming", "pending", "accepted", "rejected", "stopped", "applied", "stale"]);

/**
 * One acceptance of a suggestion, kept in the suggestion's `applications` array. Two
 * people may accept the same suggestion at the same moment on different replicas; the
 * record says which items each acceptance inserted (`client`, clocks `[clockStart,
 * clockEnd)`), so every replica can keep the first one and remove the others' text
 * (deleting is idempotent, so this converges wherever it runs).
 */
export interface ApplicationRecord {
  client: number;
  clockStart: number;
  clockEnd: number;
  status: "accepted" | "applied";
  decidedBy: SuggestionDecider;
  decidedAt: string;
  finalText?: string;
  /** Anchors of the text the acceptance wrote. */
  from: Uint8Array;
  to: Uint8Array;
}

export function suggestionsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(suggestionsMapName);
}

export function suggestionEntry(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const entry = suggestionsMap(doc).get(id);
  return entry instanceof Y.Map ? entry : null;
}

/**
 * The status field. Missing reads as `streaming` (never acceptable): a replica that got a
 * status change out of order has already applied its deletion of the old value while the
 * new value still waits for earlier updates — reading `pending` then would let someone
 * accept a half-received text.
 */
export function storedStatus(entry: Y.Map<unknown>): SuggestionStatus {
  const status = entry.get("status");
  return typeof status === "string" && allStatuses.has(status) ? (status as SuggestionStatus) : "streaming";
}

export function applicationsOf(entry: Y.Map<unknown>): Y.Array<ApplicationRecord> | null {
  const applications = entry.get("applications");
  return applications instanceof Y.Array ? (applications as Y.Array<ApplicationRecord>) : null;
}

/** The acceptance that counts: the first in the array (the same on every replica). */
export function winningApplication(entry: Y.Map<unknown>): ApplicationRecord | null {
  const applications = applicationsOf(entry);
  return applications && applications.length > 0 ? applications.get(0) : null;
}

/**
 * The status as it stands, before looking at the text: an acceptance that changed the
 * content wins over a concurrent reject or stale mark (the content cannot be un-changed
 * by a status write).
 */
export function decidedStatus(entry: Y.Map<unknown>): SuggestionStatus {
  return winningApplication(entry)?.status ?? storedStatus(entry);
}

export function targetOf(entry: Y.Map<unknown>): SuggestionTarget {
  const target = entry.get("target") as { kind?: unknown; path?: unknown } | undefined;
  if (target?.kind === "code") return { kind: "code", path: typeof target.path === "string" ? target.path : "" };
  return { kind: "doc" };
}

export function bytesField(entry: Y.Map<unknown>, key: string): Uint8Array | null {
  const value = entry.get(key);
  return value instanceof Uint8Array ? value : null;
}

export function stringField(entry: Y.Map<unknown>, key: string): string {
  const value = entry.get(key);
  return typeof value === "string" ? value : "";
}

export function newTextOf(entry: Y.Map<unknown>): Y.Text | null {
  const text = entry.get("newText");
  return text instanceof Y.Text ? text : null;
}

export function agentOf(entry: Y.Map<unknown>): SuggestionAgent {
  const agent = entry.get("agent") as Partial<SuggestionAgent> | undefined;
  return { name: typeof agent?.name === "string" ? agent.name : "AI", color: typeof agent?.color === "string" ? agent.color : "#6741d9" };
}

export function deciderOf(value: unknown): SuggestionDecider | undefined {
  const decider = value as Partial<SuggestionDecider> | undefined;
  if (!decider || typeof decider.name !== "string") return undefined;
  return { id: typeof decider.id === "string" ? decider.id : null, name: decider.name };
}

/** A random suggestion id: 16 characters of [0-9a-z], from the Web Crypto API (also in Node). */
export function newSuggestionId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => "0123456789abcdefghijklmnopqrstuvwxyz"[byte % 36]).join("");
}

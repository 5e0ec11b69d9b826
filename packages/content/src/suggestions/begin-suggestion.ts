import * as Y from "yjs";
import { clamp } from "./anchors.ts";
import { acceptEntry } from "./decide-suggestions.ts";
import { readSuggestion } from "./read-suggestions.ts";
import {
  newSuggestionId,
  storedStatus,
  suggestionsMap,
  type ApplicationRecord,
  type SuggestionAgent,
  type SuggestionDecider,
  type SuggestionStatus,
  type SuggestionTarget,
} from "./suggestion-model.ts";
import { targetTextView } from "./target-view.ts";

export interface BeginSuggestionInput {
  target: SuggestionTarget;
  /** The range it replaces, in the offsets of `suggestionTextView(doc, target)`; from = to inserts. */
  from: number;
  to: number;
  runId: string;
  agent: SuggestionAgent;
  id?: string;
}

/** Streams one suggestion's text into the document. */
export interface SuggestionWriter {
  readonly id: string;
  /**
   * Appends streamed text: one small transaction, nothing else is read. Returns false (and
   * writes nothing) once the suggestion is no longer streaming, e.g. a person rejected it.
   */
  append(text: string): boolean;
  /** Ends streaming: `pending` waits for review, `stopped` keeps a partial suggestion. Returns the status now. */
  finish(status: "pending" | "stopped"): SuggestionStatus;
  /** The AI applies its edit directly: accepted at once with status `applied`; the suggestion stays as the record of who wrote it. */
  apply(decidedBy: SuggestionDecider): "applied" | "stale" | "not-pending";
  /** Takes the suggestion away entirely (a malformed or failed call). */
  remove(): void;
  /** The live status (`stale` when its target text changed); `rejected` once removed. */
  status(): SuggestionStatus;
}

/**
 * Starts a suggestion that replaces `[from, to)` of the target: records the text it
 * replaces and anchors to the range, with status `streaming` and an empty `newText` that
 * {@link SuggestionWriter.append} grows token by token (every client sees it grow).
 *
 * @example
 * ```ts
 * const writer = beginSuggestion(doc, { target: { kind: "doc" }, from: 4, to: 19, runId, agent }, agentOrigin);
 * for await (const token of stream) writer.append(token);
 * writer.finish("pending");
 * ```
 */
export function beginSuggestion(doc: Y.Doc, input: BeginSuggestionInput, origin?: unknown): SuggestionWriter {
  const view = targetTextView(doc, input.target);
  const from = clamp(Math.min(input.from, input.to), 0, view.text.length);
  const to = clamp(Math.max(input.from, input.to), from, view.text.length);
  // An insertion point sticks to the character before it, like a caret.
  const anchors = from === to ? { from: view.anchor(from, "end"), to: view.anchor(to, "end") } : { from: view.anchor(from, "start"), to: view.anchor(to, "end") };
  const id = input.id ?? newSuggestionId();
  const entry = new Y.Map<unknown>();
  const newText = new Y.Text();
  doc.transact(() => {
    suggestionsMap(doc).set(id, entry);
    entry.set("id", id);
    entry.set("runId", input.runId);
    entry.set("target", input.target.kind === "doc" ? { kind: "doc" } : { kind: "code", path: input.target.path });
    entry.set("from", anchors.from);
    entry.set("to", anchors.to);
    entry.set("oldText", view.text.slice(from, to));
    entry.set("newText", newText);
    entry.set("status", "streaming");
    entry.set("agent", { name: input.agent.name, color: input.agent.color });
    entry.set("createdAt", new Date().toISOString());
    entry.set("applications", new Y.Array<ApplicationRecord>());
  }, origin);

  const isRemoved = () => entry._item?.deleted !== false;
  return {
    id,
    append(text) {
      if (isRemoved() || storedStatus(entry) !== "streaming") return false;
      if (text !== "") doc.transact(() => newText.insert(newText.length, text), origin);
      return true;
    },
    finish(status) {
      if (!isRemoved() && storedStatus(entry) === "streaming") doc.transact(() => entry.set("status", status), origin);
      return this.status();
    },
    apply(decidedBy) {
      if (isRemoved()) return "not-pending";
      let outcome: ReturnType<SuggestionWriter["apply"]> = "not-pending";
      doc.transact(() => {
        if (storedStatus(entry) === "streaming") entry.set("status", "pending");
        const result = acceptEntry(doc, entry, decidedBy, "applied");
        outcome = result === "accepted" ? "applied" : result;
      }, origin);
      return outcome;
    },
    remove() {
      if (!isRemoved()) doc.transact(() => suggestionsMap(doc).delete(id), origin);
    },
    status() {
      return readSuggestion(doc, id)?.status ?? "rejected";
    },
  };
}

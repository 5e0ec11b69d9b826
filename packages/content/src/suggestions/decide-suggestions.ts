import * as Y from "yjs";
import { holdsOldText, locateSuggestion, suggestionEntries } from "./read-suggestions.ts";
import {
  applicationsOf,
  decidedStatus,
  newTextOf,
  suggestionEntry,
  type ApplicationRecord,
  type SuggestionDecider,
} from "./suggestion-model.ts";
import { TargetViews } from "./target-view.ts";

export type AcceptOutcome = "accepted" | "stale" | "not-pending" | "not-found";
export type RejectOutcome = "rejected" | "not-pending" | "not-found";

export interface DecisionOptions {
  /** The transaction origin; a browser passes `suggestionDecisionOrigin` so Ctrl+Z undoes the decision. */
  origin?: unknown;
}

export interface AcceptOptions extends DecisionOptions {
  /** The text to write instead of the suggestion's own (the person edited it first). */
  editedText?: string;
}

/**
 * Accepts a suggestion: replaces exactly its anchored range with its new text (or
 * `editedText`) and records the decision, in one transaction (one undo step). When the
 * range no longer holds the text the suggestion replaces, nothing is written anywhere:
 * the suggestion is marked `stale` and `"stale"` returned.
 *
 * @example
 * ```ts
 * acceptSuggestion(doc, id, { id: user.id, name: user.name }, { origin: suggestionDecisionOrigin });
 * ```
 */
export function acceptSuggestion(doc: Y.Doc, id: string, decidedBy: SuggestionDecider, options: AcceptOptions = {}): AcceptOutcome {
  const entry = suggestionEntry(doc, id);
  if (!entry) return "not-found";
  let outcome: AcceptOutcome = "not-pending";
  doc.transact(() => {
    const result = acceptEntry(doc, entry, decidedBy, "accepted", options.editedText);
    outcome = result === "applied" ? "accepted" : result;
  }, options.origin);
  return outcome;
}

/** Rejects a suggestion (also a stale or still streaming one): the content is left as it is. */
export function rejectSuggestion(doc: Y.Doc, id: string, decidedBy: SuggestionDecider, options: DecisionOptions = {}): RejectOutcome {
  const entry = suggestionEntry(doc, id);
  if (!entry) return "not-found";
  let outcome: RejectOutcome = "not-pending";
  doc.transact(() => {
    outcome = rejectEntry(entry, decidedBy);
  }, options.origin);
  return outcome;
}

/** Accepts every pending (or stopped) suggestion, oldest first, in one transaction. Those that went stale are marked so. */
export function acceptAllSuggestions(doc: Y.Doc, decidedBy: SuggestionDecider, options: DecisionOptions = {}): { accepted: string[]; stale: string[] } {
  const result = { accepted: [] as string[], stale: [] as string[] };
  const candidates = suggestionEntries(doc).filter(({ entry }) => isAcceptable(decidedStatus(entry)));
  if (candidates.length === 0) return result;
  doc.transact(() => {
    for (const { id, entry } of candidates) {
      const outcome = acceptEntry(doc, entry, decidedBy, "accepted");
      if (outcome === "accepted") result.accepted.push(id);
      else if (outcome === "stale") result.stale.push(id);
    }
  }, options.origin);
  return result;
}

/** Rejects every suggestion that is not decided yet (pending, stopped, streaming or stale), in one transaction. */
export function rejectAllSuggestions(doc: Y.Doc, decidedBy: SuggestionDecider, options: DecisionOptions = {}): { rejected: string[] } {
  const candidates = suggestionEntries(doc).filter(({ entry }) => isRejectable(decidedStatus(entry)));
  if (candidates.length === 0) return { rejected: [] };
  doc.transact(() => {
    for (const { entry } of candidates) rejectEntry(entry, decidedBy);
  }, options.origin);
  return { rejected: candidates.map(({ id }) => id) };
}

function isAcceptable(status: string): boolean {
  return status === "pending" || status === "stopped";
}

function isRejectable(status: string): boolean {
  return status === "pending" || status === "stopped" || status === "streaming" || status === "stale";
}

function rejectEntry(entry: Y.Map<unknown>, decidedBy: SuggestionDecider): RejectOutcome {
  if (!isRejectable(decidedStatus(entry))) return "not-pending";
  entry.set("status", "rejected");
  entry.set("decidedBy", { id: decidedBy.id, name: decidedBy.name });
  entry.set("decidedAt", new Date().toISOString());
  return "rejected";
}

/**
 * Writes a suggestion into the content and records who decided, inside the caller's
 * transaction. `as` is `applied` when the AI applies its own edit directly.
 */
export function acceptEntry(
  doc: Y.Doc,
  entry: Y.Map<unknown>,
  decidedBy: SuggestionDecider,
  as: "accepted" | "applied",
  editedText?: string,
): "accepted" | "applied" | "stale" | "not-pending" {
  if (!isAcceptable(decidedStatus(entry))) return "not-pending";
  const located = locateSuggestion(new TargetViews(doc), entry);
  if (!located || !holdsOldText(located, entry)) {
    entry.set("status", "stale");
    return "stale";
  }
  const suggested = newTextOf(entry)?.toString() ?? "";
  const text = editedText ?? suggested;
  // The clocks bracket exactly the content this acceptance inserts (see settleAcceptances).
  const clockStart = Y.getState(doc.store, doc.clientID);
  const written = located.view.replace(located.from, located.to, text);
  const clockEnd = Y.getState(doc.store, doc.clientID);
  const record: ApplicationRecord = {
    client: doc.clientID,
    clockStart,
    clockEnd,
    status: as,
    decidedBy: { id: decidedBy.id, name: decidedBy.name },
    decidedAt: new Date().toISOString(),
    ...(editedText !== undefined && editedText !== suggested ? { finalText: editedText } : {}),
    from: written.from,
    to: written.to,
  };
  recordApplication(entry, record);
  return as;
}

function recordApplication(entry: Y.Map<unknown>, record: ApplicationRecord): void {
  let applications = applicationsOf(entry);
  if (!applications) entry.set("applications", (applications = new Y.Array<ApplicationRecord>()));
  applications.push([record]);
  entry.set("status", record.status);
  entry.set("decidedBy", record.decidedBy);
  entry.set("decidedAt", record.decidedAt);
  if (record.finalText === undefined) entry.delete("finalText");
  else entry.set("finalText", record.finalText);
}

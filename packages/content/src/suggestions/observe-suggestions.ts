import * as Y from "yjs";
import { holdsOldText, locateSuggestion, suggestionEntries } from "./read-suggestions.ts";
import { bytesField, decidedStatus, newTextOf, suggestionDecisionOrigin, suggestionEntry, suggestionsMap, undecidedStatuses } from "./suggestion-model.ts";
import { TargetViews } from "./target-view.ts";

/**
 * Calls `onChange` when a suggestion is added, removed or decided — not for every token
 * streamed into a suggestion's text (see {@link observeSuggestionText}). Returns the
 * function that stops observing.
 */
export function observeSuggestions(doc: Y.Doc, onChange: () => void): () => void {
  const map = suggestionsMap(doc);
  const observer = (events: Y.YEvent<any>[]) => {
    if (events.some((event) => !(event.target instanceof Y.Text))) onChange();
  };
  map.observeDeep(observer);
  return () => map.unobserveDeep(observer);
}

/** Calls `onChange` with a suggestion's new text each time it grows (streaming). Returns the function that stops observing. */
export function observeSuggestionText(doc: Y.Doc, id: string, onChange: (text: string) => void): () => void {
  const text = newTextOf(suggestionEntry(doc, id) ?? new Y.Map());
  if (!text) return () => {};
  const observer = () => onChange(text.toString());
  text.observe(observer);
  return () => text.unobserve(observer);
}

/**
 * Makes a Y.UndoManager (TipTap's or the one given to y-codemirror's `yCollab`) undo
 * decisions too: it tracks `suggestionDecisionOrigin` and the suggestions map, so Ctrl+Z
 * after accepting restores the text *and* the suggestion's pending status.
 */
export function trackSuggestionDecisions(undoManager: Y.UndoManager, doc: Y.Doc): void {
  undoManager.addToScope(suggestionsMap(doc));
  undoManager.addTrackedOrigin(suggestionDecisionOrigin);
  undoManager.on("stack-item-popped", () => reanchorRestoredSuggestions(doc));
}

// Not tracked by any UndoManager: re-anchoring is bookkeeping, not an undoable change.
const reanchorOrigin = Object.freeze({ name: "cocanvas-suggestion-reanchor" });

/**
 * Undoing an accept restores the replaced text as *new* Yjs items. This replica still
 * finds the suggestion's range (Yjs follows its local "redone" links), but other replicas
 * cannot and would read it as stale. So after an undo or redo, undecided suggestions that
 * hold their text here get anchors on the items that hold it now. Returns their ids.
 */
export function reanchorRestoredSuggestions(doc: Y.Doc): string[] {
  const views = new TargetViews(doc);
  const moves: { entry: Y.Map<unknown>; id: string; from: Uint8Array; to: Uint8Array }[] = [];
  for (const { id, entry } of suggestionEntries(doc)) {
    if (!undecidedStatuses.has(decidedStatus(entry))) continue;
    const located = locateSuggestion(views, entry);
    if (!located || !holdsOldText(located, entry)) continue;
    const insertion = located.from === located.to;
    const from = located.view.anchor(located.from, insertion ? "end" : "start");
    const to = located.view.anchor(located.to, "end");
    if (!sameBytes(from, bytesField(entry, "from")) || !sameBytes(to, bytesField(entry, "to"))) moves.push({ entry, id, from, to });
  }
  if (moves.length === 0) return [];
  doc.transact(() => {
    for (const { entry, from, to } of moves) {
      entry.set("from", from);
      entry.set("to", to);
    }
  }, reanchorOrigin);
  return moves.map(({ id }) => id);
}

function sameBytes(first: Uint8Array, second: Uint8Array | null): boolean {
  return second !== null && first.length === second.length && first.every((byte, index) => byte === second[index]);
}

import * as Y from "yjs";
import { newTextOf, suggestionDecisionOrigin, suggestionEntry, suggestionsMap } from "./suggestion-model.ts";

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
}

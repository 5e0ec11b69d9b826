import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import type { EditorState } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { docFragmentName } from "../doc-canvas/doc-canvas.ts";
import { DocTextView } from "./doc-text-view.ts";
import { ProseMirrorTextPositions } from "./prosemirror-positions.ts";
import { readSuggestions } from "./read-suggestions.ts";
import { suggestionsMap, type SuggestionSnapshot, type SuggestionStatus } from "./suggestion-model.ts";

/**
 * Anchors for a selection in a TipTap editor bound to Yjs (Collaboration), in the form
 * the AI run API takes: the start sticks to the first selected character and the end to
 * the last, so typing right around the selection stays outside it; an empty selection
 * (a caret) sticks to the character before it. Null when the editor has no Yjs binding.
 *
 * @example
 * ```ts
 * const { from, to } = editor.state.selection;
 * const anchors = selectionAnchors(editor.state, from, to); // { from: Uint8Array, to: Uint8Array }
 * ```
 */
export function selectionAnchors(state: EditorState, from: number, to: number): { from: Uint8Array; to: Uint8Array } | null {
  const fragment = (ySyncPluginKey.getState(state) as { type?: unknown } | undefined)?.type;
  if (!(fragment instanceof Y.XmlFragment)) return null;
  const view = new DocTextView(fragment);
  const positions = new ProseMirrorTextPositions(state.doc);
  const start = positions.toOffset(Math.min(from, to), "start");
  const end = Math.max(start, positions.toOffset(Math.max(from, to), "end"));
  if (start === end) return { from: view.anchor(start, "end"), to: view.anchor(end, "end") };
  return { from: view.anchor(start, "start"), to: view.anchor(end, "end") };
}

/** The statuses an editor draws inline: everything still waiting for a person. */
export const reviewableStatuses: readonly SuggestionStatus[] = ["streaming", "pending", "stopped", "stale"];

/**
 * The doc canvas's reviewable suggestions placed in a ProseMirror document built from it
 * (the editor's), for drawing them: `from`/`to` are ProseMirror positions. Null while the
 * editor's document and the Y.Doc differ (a local edit not yet written to Yjs): draw
 * again a moment later.
 */
export function suggestionsInProseMirror(doc: Y.Doc, pmDoc: ProseMirrorNode): { suggestion: SuggestionSnapshot; from: number; to: number }[] | null {
  if (suggestionsMap(doc).size === 0) return [];
  const positions = new ProseMirrorTextPositions(pmDoc);
  if (!positions.matches(new DocTextView(doc.getXmlFragment(docFragmentName)))) return null;
  return readSuggestions(doc, { target: { kind: "doc" }, statuses: reviewableStatuses })
    .filter((suggestion) => suggestion.from !== null && suggestion.to !== null)
    .map((suggestion) => ({ suggestion, from: positions.toPosition(suggestion.from!), to: positions.toPosition(suggestion.to!) }));
}

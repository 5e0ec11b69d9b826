import { observeSuggestions, suggestionsInProseMirror, trackSuggestionDecisions } from "@cocanvas/content";
import { Extension } from "@tiptap/core";
import type { EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { suggestionWidget, type SuggestionHandlers } from "../suggestion-widget.ts";
import { docDecorationsPlugin } from "./doc-decorations-plugin.ts";

export interface SuggestionDecorationsOptions extends SuggestionHandlers {
  document: Y.Doc | null;
}

const widgetCleanups = new WeakMap<Node, () => void>();

/**
 * Draws the doc canvas's AI suggestions inline: the range a suggestion replaces struck
 * through in the agent's colour, its new text as a widget right after it (growing while
 * it streams) with Accept / Reject. The suggestions live beside the content in the
 * Y.Doc, so nothing here changes the document. Also makes Ctrl+Z undo decisions.
 */
export const SuggestionDecorations = Extension.create<SuggestionDecorationsOptions>({
  name: "suggestionDecorations",

  addOptions() {
    return { document: null, onAccept: () => {}, onReject: () => {} };
  },

  addProseMirrorPlugins() {
    const { document: doc, onAccept, onReject } = this.options;
    if (!doc) return [];
    const handlers: SuggestionHandlers = { onAccept: (id) => onAccept(id), onReject: (id) => onReject(id) };
    return [
      docDecorationsPlugin({
        name: "suggestionDecorations",
        compute: (state) => decorationsFor(doc, state, handlers),
        watch(editorView, refresh) {
          const undoManager = (yUndoPluginKey.getState(editorView.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
          if (undoManager) trackSuggestionDecisions(undoManager, doc);
          return observeSuggestions(doc, refresh);
        },
      }),
    ];
  },
});

function decorationsFor(doc: Y.Doc, state: EditorState, handlers: SuggestionHandlers): DecorationSet | null {
  const placed = suggestionsInProseMirror(doc, state.doc);
  if (!placed) return null;
  const decorations: Decoration[] = [];
  for (const { suggestion, from, to } of placed) {
    const style = `--suggestion-color: ${suggestion.agent.color}`;
    if (from < to) decorations.push(Decoration.inline(from, to, { class: `suggestion-deletion${suggestion.status === "stale" ? " is-stale" : ""}`, style }));
    decorations.push(
      Decoration.widget(
        to,
        () => {
          const widget = suggestionWidget(doc, suggestion, handlers);
          widgetCleanups.set(widget.dom, widget.destroy);
          return widget.dom;
        },
        {
          side: 1,
          key: `${suggestion.id}:${suggestion.status}`,
          ignoreSelection: true,
          stopEvent: () => true,
          destroy: (node) => widgetCleanups.get(node)?.(),
        },
      ),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

import { observeSuggestions, suggestionsInProseMirror, trackSuggestionDecisions } from "@cocanvas/content";
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey, yUndoPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { suggestionWidget, type SuggestionHandlers } from "../suggestion-widget.ts";

export interface SuggestionDecorationsOptions extends SuggestionHandlers {
  document: Y.Doc | null;
}

const suggestionsKey = new PluginKey<DecorationSet>("suggestionDecorations");
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
    const build = (state: EditorState, previous: DecorationSet) => decorationsFor(doc, state, handlers) ?? previous;
    return [
      new Plugin<DecorationSet>({
        key: suggestionsKey,
        state: {
          init: (_config, state) => build(state, DecorationSet.empty),
          apply(transaction, decorations, _old, state) {
            // A remote change rebuilt the document from Yjs: both sides agree, draw afresh.
            const remote = (transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;
            if (transaction.getMeta(suggestionsKey) === "refresh" || remote) return build(state, decorations.map(transaction.mapping, transaction.doc));
            return transaction.docChanged ? decorations.map(transaction.mapping, transaction.doc) : decorations;
          },
        },
        props: { decorations: (state) => suggestionsKey.getState(state) },
        view(editorView) {
          const undoManager = (yUndoPluginKey.getState(editorView.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
          if (undoManager) trackSuggestionDecisions(undoManager, doc);
          // Redraw once Yjs has the latest local edit (the binding writes it after this update).
          let frame = 0;
          const refresh = () => {
            if (frame) return;
            frame = requestAnimationFrame(() => {
              frame = 0;
              if (!editorView.isDestroyed) editorView.dispatch(editorView.state.tr.setMeta(suggestionsKey, "refresh"));
            });
          };
          const stopObserving = observeSuggestions(doc, refresh);
          refresh();
          return {
            update(view, previousState) {
              if (view.state.doc !== previousState.doc && suggestionsKey.getState(view.state) !== DecorationSet.empty) refresh();
            },
            destroy() {
              cancelAnimationFrame(frame);
              stopObserving();
            },
          };
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

import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { DecorationSet, type EditorProps, type EditorView } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";

/**
 * A ProseMirror plugin whose decorations are drawn from the shared document (suggestions,
 * comment threads) rather than from the editor's content: they follow local edits at once
 * (mapped through each change) and are recomputed after a remote change, after the text
 * changes under them, or when `watch` reports a change elsewhere in the Y.Doc — at most
 * once per animation frame, once Yjs has the latest local edit (the binding writes it
 * after the editor's update). `compute` returns null when the editor and the Y.Doc
 * disagree for a moment; the previous decorations then stay.
 */
export function docDecorationsPlugin(options: {
  name: string;
  compute(state: EditorState): DecorationSet | null;
  /** Subscribes `refresh` to what the decorations show; returns the clean-up. */
  watch(view: EditorView, refresh: () => void): () => void;
  handleDOMEvents?: EditorProps["handleDOMEvents"];
}): Plugin<DecorationSet> {
  const key = new PluginKey<DecorationSet>(options.name);
  const build = (state: EditorState, previous: DecorationSet) => options.compute(state) ?? previous;
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: (_config, state) => build(state, DecorationSet.empty),
      apply(transaction, decorations, _old, state) {
        // A remote change rebuilt the document from Yjs: both sides agree, draw afresh.
        const remote = (transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;
        if (transaction.getMeta(key) === "refresh" || remote) return build(state, decorations.map(transaction.mapping, transaction.doc));
        return transaction.docChanged ? decorations.map(transaction.mapping, transaction.doc) : decorations;
      },
    },
    props: { decorations: (state) => key.getState(state), handleDOMEvents: options.handleDOMEvents },
    view(editorView) {
      let frame = 0;
      const refresh = () => {
        if (frame) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (!editorView.isDestroyed) editorView.dispatch(editorView.state.tr.setMeta(key, "refresh"));
        });
      };
      const stopWatching = options.watch(editorView, refresh);
      refresh();
      return {
        update(view, previousState) {
          if (view.state.doc !== previousState.doc && key.getState(view.state) !== DecorationSet.empty) refresh();
        },
        destroy() {
          cancelAnimationFrame(frame);
          stopWatching();
        },
      };
    },
  });
}

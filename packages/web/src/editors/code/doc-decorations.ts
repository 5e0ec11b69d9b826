import { StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, type DecorationSet } from "@codemirror/view";
import * as Y from "yjs";

/**
 * CodeMirror decorations drawn from the shared document (suggestions, comment threads):
 * they follow local edits at once (mapped through each change) and are recomputed from
 * the Y.Doc at most once per animation frame after the file's text changes or `watch`
 * reports a change elsewhere in the document. `watch` returns its own clean-up.
 */
export function docDecorations(text: Y.Text, compute: (view: EditorView) => DecorationSet, watch: (view: EditorView, refresh: () => void) => () => void): Extension {
  const setDecorations = StateEffect.define<DecorationSet>();
  const field = StateField.define<DecorationSet>({
    create: () => Decoration.none,
    update(decorations, transaction) {
      let next = decorations.map(transaction.changes);
      for (const effect of transaction.effects) if (effect.is(setDecorations)) next = effect.value;
      return next;
    },
    provide: (self) => EditorView.decorations.from(self),
  });
  const redraw = ViewPlugin.define((view) => {
    let frame = 0;
    const refresh = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        view.dispatch({ effects: setDecorations.of(compute(view)) });
      });
    };
    const stopWatching = watch(view, refresh);
    text.observe(refresh);
    refresh();
    return {
      destroy() {
        cancelAnimationFrame(frame);
        stopWatching();
        text.unobserve(refresh);
      },
    };
  });
  return [field, redraw];
}

/** The path of the code file whose content is `text`, or null once it is no longer in a file. */
export function codeFilePath(text: Y.Text): string | null {
  const file = text.parent;
  const path = file instanceof Y.Map ? file.get("path") : null;
  return typeof path === "string" ? path : null;
}

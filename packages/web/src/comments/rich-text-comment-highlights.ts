import { commentThreadsInProseMirror, observeComments } from "@cocanvas/content";
import { Extension } from "@tiptap/core";
import type { EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import type * as Y from "yjs";
import { docDecorationsPlugin } from "../editors/rich-text/doc-decorations-plugin.ts";
import { activeCommentThread, focusCommentThread, onCommentFocus } from "./comment-focus.ts";

/**
 * Underlines the text of open comment threads in the doc editor, the focused one
 * stronger. The threads live beside the content in the Y.Doc, so nothing here
 * changes the document. Clicking underlined text focuses its thread in the comments
 * panel; focusing a thread in the panel scrolls its text into view.
 */
export const CommentHighlights = Extension.create<{ document: Y.Doc | null }>({
  name: "commentHighlights",

  addOptions() {
    return { document: null };
  },

  addProseMirrorPlugins() {
    const doc = this.options.document;
    if (!doc) return [];
    return [
      docDecorationsPlugin({
        name: "commentHighlights",
        compute: (state) => decorationsFor(doc, state),
        watch(editorView, refresh) {
          const stopObserving = observeComments(doc, refresh);
          const stopListening = onCommentFocus(doc, (focus) => {
            refresh();
            if (focus.source === "panel") requestAnimationFrame(() => reveal(editorView, doc, focus.threadId));
          });
          return () => {
            stopObserving();
            stopListening();
          };
        },
        handleDOMEvents: {
          click(_view, event) {
            const threadId = (event.target as Element | null)?.closest?.("[data-thread-id]")?.getAttribute("data-thread-id");
            if (threadId) focusCommentThread(doc, threadId, "editor");
            return false;
          },
        },
      }),
    ];
  },
});

function decorationsFor(doc: Y.Doc, state: EditorState): DecorationSet | null {
  const placed = commentThreadsInProseMirror(doc, state.doc);
  if (!placed) return null;
  const activeId = activeCommentThread(doc)?.threadId;
  const decorations = placed
    .filter(({ thread, from, to }) => from < to && thread.status === "open")
    .map(({ thread, from, to }) =>
      Decoration.inline(from, to, {
        class: `comment-highlight${thread.id === activeId ? " is-active" : ""}`,
        "data-testid": "comment-highlight",
        "data-thread-id": thread.id,
      }),
    );
  return DecorationSet.create(state.doc, decorations);
}

/** Scrolls the thread's text into the middle of the editor's scroll area. */
function reveal(view: EditorView, doc: Y.Doc, threadId: string): void {
  if (view.isDestroyed) return;
  const place = commentThreadsInProseMirror(doc, view.state.doc)?.find(({ thread }) => thread.id === threadId);
  if (!place) return;
  const { node } = view.domAtPos(place.from);
  const element = node instanceof Element ? node : node.parentElement;
  element?.scrollIntoView({ block: "center", behavior: "smooth" });
}

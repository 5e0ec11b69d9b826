import { observeComments, readCommentThreads } from "@cocanvas/content";
import type { Extension, Range } from "@codemirror/state";
import { Decoration, EditorView, type DecorationSet } from "@codemirror/view";
import type * as Y from "yjs";
import { codeFilePath, docDecorations } from "../editors/code/doc-decorations.ts";
import { activeCommentThread, focusCommentThread, onCommentFocus } from "./comment-focus.ts";

/** A focus given this recently (ms) still scrolls an editor that opens just after it (another file was shown). */
const revealWindow = 2000;

/**
 * Underlines the text of one code file's open comment threads in CodeMirror, the focused
 * one stronger. Clicking underlined code focuses its thread in the
 * comments panel; focusing a thread in the panel scrolls its code into view.
 */
export function commentHighlights(doc: Y.Doc, text: Y.Text): Extension {
  const highlights = docDecorations(
    text,
    (view) => decorationsFor(doc, text, view.state.doc.length),
    (view, refresh) => {
      const reveal = (threadId: string) => {
        const range = rangeOf(doc, text, threadId);
        if (range) view.dispatch({ effects: EditorView.scrollIntoView(Math.min(range.from, view.state.doc.length), { y: "center" }) });
      };
      const stopObserving = observeComments(doc, refresh);
      const stopListening = onCommentFocus(doc, (focus) => {
        refresh();
        if (focus.source === "panel") requestAnimationFrame(() => reveal(focus.threadId));
      });
      // This file was just opened to show a thread the panel focused.
      const active = activeCommentThread(doc);
      if (active?.source === "panel" && Date.now() - active.at < revealWindow) requestAnimationFrame(() => reveal(active.threadId));
      return () => {
        stopObserving();
        stopListening();
      };
    },
  );
  const clicks = EditorView.domEventHandlers({
    click(event) {
      const threadId = (event.target as Element | null)?.closest?.("[data-thread-id]")?.getAttribute("data-thread-id");
      if (threadId) focusCommentThread(doc, threadId, "editor");
      return false;
    },
  });
  return [highlights, clicks];
}

function rangeOf(doc: Y.Doc, text: Y.Text, threadId: string): { from: number; to: number } | null {
  const path = codeFilePath(text);
  const thread = path ? readCommentThreads(doc, { target: { kind: "code", path } }).find((candidate) => candidate.id === threadId) : null;
  return thread && thread.from !== null && thread.to !== null ? { from: thread.from, to: thread.to } : null;
}

function decorationsFor(doc: Y.Doc, text: Y.Text, length: number): DecorationSet {
  const path = codeFilePath(text);
  if (!path) return Decoration.none;
  const activeId = activeCommentThread(doc)?.threadId;
  const ranges: Range<Decoration>[] = [];
  for (const thread of readCommentThreads(doc, { target: { kind: "code", path } })) {
    if (thread.from === null || thread.to === null || thread.status !== "open") continue;
    const from = Math.min(thread.from, length);
    const to = Math.min(thread.to, length);
    if (from >= to) continue;
    const className = `comment-highlight${thread.id === activeId ? " is-active" : ""}`;
    ranges.push(Decoration.mark({ class: className, attributes: { "data-testid": "comment-highlight", "data-thread-id": thread.id } }).range(from, to));
  }
  return Decoration.set(ranges, true);
}


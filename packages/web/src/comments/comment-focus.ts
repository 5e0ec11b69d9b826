import { readCommentThread } from "@cocanvas/content";
import { useEffect, useRef, useState } from "react";
import type * as Y from "yjs";

/**
 * Which comment thread has the focus on a canvas page, and who gave it: clicking a
 * highlight in an editor focuses its thread in the panel (`editor`), clicking a thread in
 * the panel scrolls the editors to its text (`panel`). One bus per canvas document, so
 * the editors and the panel need no wiring through the page beyond the document.
 */
export interface CommentFocus {
  threadId: string;
  source: "editor" | "panel";
  /** When it was given (ms): tells a repeated click from the same state. */
  at: number;
}

type Listener = (focus: CommentFocus) => void;

interface Bus {
  active: CommentFocus | null;
  listeners: Set<Listener>;
}

const buses = new WeakMap<Y.Doc, Bus>();

function busOf(doc: Y.Doc): Bus {
  let bus = buses.get(doc);
  if (!bus) buses.set(doc, (bus = { active: null, listeners: new Set() }));
  return bus;
}

export function focusCommentThread(doc: Y.Doc, threadId: string, source: CommentFocus["source"]): void {
  const bus = busOf(doc);
  const focus = { threadId, source, at: Date.now() };
  bus.active = focus;
  for (const listener of [...bus.listeners]) listener(focus);
}

/** The thread that has the focus now, if any. */
export function activeCommentThread(doc: Y.Doc): CommentFocus | null {
  return busOf(doc).active;
}

/** Calls `listener` each time a thread gets the focus. Returns the function that stops listening. */
export function onCommentFocus(doc: Y.Doc, listener: Listener): () => void {
  const bus = busOf(doc);
  bus.listeners.add(listener);
  return () => bus.listeners.delete(listener);
}

/** The focused thread, re-rendering when it changes. */
export function useCommentFocus(doc: Y.Doc): CommentFocus | null {
  const [focus, setFocus] = useState(() => activeCommentThread(doc));
  useEffect(() => {
    setFocus(activeCommentThread(doc));
    return onCommentFocus(doc, setFocus);
  }, [doc]);
  return focus;
}

/** Calls `open` when someone clicks commented text in an editor (the page opens the comments panel). */
export function useOpenOnHighlightClick(doc: Y.Doc | null, open: () => void): void {
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    if (!doc) return;
    return onCommentFocus(doc, (focus) => {
      if (focus.source === "editor") openRef.current();
    });
  }, [doc]);
}

/** On a code canvas: calls `show(path)` when the panel focuses a thread on a file, so that file opens. */
export function useShowFileOfFocusedThread(doc: Y.Doc, show: (path: string) => void): void {
  const showRef = useRef(show);
  showRef.current = show;
  useEffect(
    () =>
      onCommentFocus(doc, (focus) => {
        const target = focus.source === "panel" ? readCommentThread(doc, focus.threadId)?.target : undefined;
        if (target?.kind === "code") showRef.current(target.path);
      }),
    [doc],
  );
}

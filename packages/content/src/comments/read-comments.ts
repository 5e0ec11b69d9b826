import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import type * as Y from "yjs";
import { docFragmentName } from "../doc-canvas/doc-canvas.ts";
import { DocTextView } from "../suggestions/doc-text-view.ts";
import { ProseMirrorTextPositions } from "../suggestions/prosemirror-positions.ts";
import { bytesField, stringField } from "../suggestions/suggestion-model.ts";
import { TargetViews } from "../suggestions/target-view.ts";
import {
  actorOf,
  authorOf,
  commentsMap,
  mentionsOf,
  messagesOf,
  statusOf,
  suggestionIdsOf,
  threadEntry,
  type CommentMessage,
  type CommentStatus,
  type CommentTarget,
  type CommentThreadSnapshot,
} from "./comment-model.ts";

export interface CommentThreadFilter {
  status?: CommentStatus;
  /** Only threads on this target (for code: the file at this path now). */
  target?: CommentTarget;
}

function readMessages(entry: Y.Map<unknown>): CommentMessage[] {
  return (messagesOf(entry)?.toArray() ?? []).map((message) => ({
    id: stringField(message, "id"),
    author: authorOf(message.get("author")),
    text: stringField(message, "text"),
    mentions: mentionsOf(message.get("mentions")),
    createdAt: stringField(message, "createdAt"),
    ...(typeof message.get("editedAt") === "string" ? { editedAt: message.get("editedAt") as string } : {}),
  }));
}

function snapshotOf(views: TargetViews, entry: Y.Map<unknown>, id: string): CommentThreadSnapshot {
  const place = views.forEntry(entry);
  const fromAnchor = bytesField(entry, "from");
  const toAnchor = bytesField(entry, "to");
  const start = place && fromAnchor ? place.view.resolve(fromAnchor) : null;
  const end = place && toAnchor ? place.view.resolve(toAnchor) : null;
  const quote = stringField(entry, "quote");
  // Everything it quoted was deleted: the range collapsed to a point.
  const range = start !== null && end !== null && !(quote !== "" && end <= start) ? { from: start, to: Math.max(start, end) } : null;
  const resolvedBy = actorOf(entry.get("resolvedBy"));
  const resolvedAt = entry.get("resolvedAt");
  const target = place?.target ?? (entry.get("target") as CommentTarget | undefined) ?? { kind: "doc" };
  return {
    id,
    target,
    status: statusOf(entry),
    from: range?.from ?? null,
    to: range?.to ?? null,
    detached: range === null,
    quote,
    createdAt: stringField(entry, "createdAt"),
    ...(resolvedBy ? { resolvedBy } : {}),
    ...(typeof resolvedAt === "string" ? { resolvedAt } : {}),
    messages: readMessages(entry),
    suggestionIds: [...new Set(suggestionIdsOf(entry)?.toArray() ?? [])],
  };
}

function sameTarget(first: CommentTarget, second: CommentTarget): boolean {
  return first.kind === second.kind && (first.kind === "doc" || first.path === (second as { path: string }).path);
}

function compare<T extends string | number>(first: T, second: T): number {
  return first < second ? -1 : first > second ? 1 : 0;
}

/**
 * The comment threads of a canvas as plain objects, oldest first (the same order on every
 * replica), each with its range resolved in the text as it is now.
 *
 * @example
 * ```ts
 * readCommentThreads(doc, { status: "open" });
 * // [{ id: "k3…", status: "open", quote: "quick brown fox", from: 4, to: 19, detached: false, messages: [{ author, text: "Which fox?", … }], … }]
 * ```
 */
export function readCommentThreads(doc: Y.Doc, filter: CommentThreadFilter = {}): CommentThreadSnapshot[] {
  const entries: { id: string; entry: Y.Map<unknown>; createdAt: string }[] = [];
  commentsMap(doc).forEach((_value, id) => {
    const entry = threadEntry(doc, id);
    if (entry && (!filter.status || statusOf(entry) === filter.status)) entries.push({ id, entry, createdAt: stringField(entry, "createdAt") });
  });
  entries.sort(
    (first, second) =>
      compare(first.createdAt, second.createdAt) ||
      compare(first.entry._item?.id.client ?? 0, second.entry._item?.id.client ?? 0) ||
      compare(first.entry._item?.id.clock ?? 0, second.entry._item?.id.clock ?? 0) ||
      compare(first.id, second.id),
  );
  const views = new TargetViews(doc);
  const snapshots: CommentThreadSnapshot[] = [];
  for (const { id, entry } of entries) {
    const snapshot = snapshotOf(views, entry, id);
    if (filter.target && !sameTarget(filter.target, snapshot.target)) continue;
    snapshots.push(snapshot);
  }
  return snapshots;
}

/** One thread, as {@link readCommentThreads} reads it, or null when there is none with that id. */
export function readCommentThread(doc: Y.Doc, id: string): CommentThreadSnapshot | null {
  const entry = threadEntry(doc, id);
  return entry ? snapshotOf(new TargetViews(doc), entry, id) : null;
}

/**
 * Calls `onChange` when a thread is added or removed, gets a message, is resolved or
 * reopened, or a suggestion is linked to it. (Where threads sit changes with the text:
 * readers that show positions also redraw on content changes.) Returns the function that
 * stops observing.
 */
export function observeComments(doc: Y.Doc, onChange: () => void): () => void {
  const map = commentsMap(doc);
  const observer = () => onChange();
  map.observeDeep(observer);
  return () => map.unobserveDeep(observer);
}

/**
 * The doc canvas's attached threads placed in a ProseMirror document built from it (the
 * editor's), for highlighting them: `from`/`to` are ProseMirror positions. Null while the
 * editor's document and the Y.Doc differ (a local edit not yet written to Yjs): draw
 * again a moment later.
 */
export function commentThreadsInProseMirror(
  doc: Y.Doc,
  pmDoc: ProseMirrorNode,
  filter: Omit<CommentThreadFilter, "target"> = {},
): { thread: CommentThreadSnapshot; from: number; to: number }[] | null {
  if (commentsMap(doc).size === 0) return [];
  const positions = new ProseMirrorTextPositions(pmDoc);
  if (!positions.matches(new DocTextView(doc.getXmlFragment(docFragmentName)))) return null;
  return readCommentThreads(doc, { ...filter, target: { kind: "doc" } })
    .filter((thread) => thread.from !== null && thread.to !== null)
    .map((thread) => ({ thread, from: positions.toPosition(thread.from!), to: positions.toPosition(thread.to!) }));
}

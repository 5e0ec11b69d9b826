import * as Y from "yjs";
import { clamp } from "../suggestions/anchors.ts";
import { targetTextView } from "../suggestions/target-view.ts";
import {
  authorOf,
  commentsMap,
  maxQuoteLength,
  messagesOf,
  newCommentId,
  newMessageEntry,
  plainActor,
  plainMentions,
  statusOf,
  suggestionIdsOf,
  threadEntry,
  type CommentActor,
  type CommentAuthor,
  type CommentMention,
  type CommentTarget,
} from "./comment-model.ts";

interface NewThreadFields {
  target: CommentTarget;
  author: CommentAuthor;
  /** The first message. Must not be blank. */
  text: string;
  mentions?: readonly CommentMention[];
  /** The thread's id (a random one when omitted). */
  id?: string;
  /** The first message's id (a random one when omitted). */
  messageId?: string;
}

export interface AddCommentThreadInput extends NewThreadFields {
  /** The commented range, in the offsets of `suggestionTextView(doc, target)`. */
  from: number;
  to: number;
}

export interface AddCommentThreadAtInput extends NewThreadFields {
  /** The commented range as encoded relative positions (`selectionAnchors`, or `suggestionTextView(…).anchor`). */
  from: Uint8Array;
  to: Uint8Array;
}

/** What starting a thread wrote. */
export interface AddedThread {
  threadId: string;
  messageId: string;
}

/**
 * Starts a comment thread on `[from, to)` of the target's text view, with its first
 * message. The range is anchored like a suggestion's (start sticks to the first
 * character, end to the last; a caret sticks to the character before it), so text typed
 * right before or after stays outside and text typed inside is inside.
 *
 * Throws when a code target names no file, or the text is blank.
 *
 * @example
 * ```ts
 * const view = suggestionTextView(doc, { kind: "doc" });
 * const from = view.text.indexOf("quick brown fox");
 * const { threadId } = addCommentThread(doc, { target: { kind: "doc" }, from, to: from + 15, author, text: "Which fox?" });
 * ```
 */
export function addCommentThread(doc: Y.Doc, input: AddCommentThreadInput, origin?: unknown): AddedThread {
  const view = targetTextView(doc, input.target);
  const from = clamp(Math.min(input.from, input.to), 0, view.text.length);
  const to = clamp(Math.max(input.from, input.to), from, view.text.length);
  const anchors = from === to ? { from: view.anchor(from, "end"), to: view.anchor(to, "end") } : { from: view.anchor(from, "start"), to: view.anchor(to, "end") };
  return writeThread(doc, input, anchors, view.text.slice(from, to), origin);
}

/**
 * Starts a thread on a range given as encoded relative positions (what browsers send).
 * Returns null, writing nothing, when the anchors do not point into the target now.
 */
export function addCommentThreadAt(doc: Y.Doc, input: AddCommentThreadAtInput, origin?: unknown): AddedThread | null {
  let view: ReturnType<typeof targetTextView>;
  try {
    view = targetTextView(doc, input.target);
  } catch {
    return null;
  }
  const start = view.resolve(input.from);
  const end = view.resolve(input.to);
  if (start === null || end === null) return null;
  return writeThread(doc, input, { from: input.from, to: input.to }, view.text.slice(start, Math.max(start, end)), origin);
}

function writeThread(doc: Y.Doc, input: NewThreadFields, anchors: { from: Uint8Array; to: Uint8Array }, quote: string, origin: unknown): AddedThread {
  const message = newMessageEntry({ id: input.messageId, author: input.author, text: input.text, mentions: input.mentions });
  const threadId = input.id ?? newCommentId();
  const entry = new Y.Map<unknown>();
  const messages = new Y.Array<Y.Map<unknown>>();
  doc.transact(() => {
    commentsMap(doc).set(threadId, entry);
    entry.set("id", threadId);
    entry.set("target", input.target.kind === "doc" ? { kind: "doc" } : { kind: "code", path: input.target.path });
    entry.set("from", anchors.from);
    entry.set("to", anchors.to);
    entry.set("quote", quote.length > maxQuoteLength ? `${quote.slice(0, maxQuoteLength - 1)}…` : quote);
    entry.set("status", "open");
    entry.set("createdAt", message.createdAt);
    entry.set("messages", messages);
    entry.set("suggestionIds", new Y.Array<string>());
    messages.push([message.entry]);
  }, origin);
  return { threadId, messageId: message.id };
}

/**
 * Adds a reply to a thread. Replying to a resolved thread reopens it (the reply means the
 * conversation goes on). Returns the new message's id, or null when there is no such
 * thread. Throws when the text is blank.
 */
export function replyToThread(
  doc: Y.Doc,
  threadId: string,
  reply: { author: CommentAuthor; text: string; mentions?: readonly CommentMention[]; id?: string },
  origin?: unknown,
): string | null {
  const entry = threadEntry(doc, threadId);
  const messages = entry ? messagesOf(entry) : null;
  if (!entry || !messages) return null;
  const message = newMessageEntry(reply);
  doc.transact(() => {
    messages.push([message.entry]);
    if (statusOf(entry) === "resolved") reopen(entry);
  }, origin);
  return message.id;
}

/** Where a message is in its thread, or null. */
function findMessage(doc: Y.Doc, threadId: string, messageId: string): { entry: Y.Map<unknown>; messages: Y.Array<Y.Map<unknown>>; index: number } | null {
  const entry = threadEntry(doc, threadId);
  const messages = entry ? messagesOf(entry) : null;
  if (!entry || !messages) return null;
  const index = messages.toArray().findIndex((message) => message.get("id") === messageId);
  return index < 0 ? null : { entry, messages, index };
}

/** The author of a message, or null when there is no such message. */
export function commentMessageAuthor(doc: Y.Doc, threadId: string, messageId: string): CommentAuthor | null {
  const found = findMessage(doc, threadId, messageId);
  return found ? authorOf(found.messages.get(found.index).get("author")) : null;
}

/**
 * Changes a message's text (and the mentions in it) and stamps it edited. Returns false
 * when there is no such message. Throws when the text is blank.
 */
export function editCommentMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  change: { text: string; mentions?: readonly CommentMention[] },
  origin?: unknown,
): boolean {
  if (change.text.trim() === "") throw new Error("A comment needs some text.");
  const found = findMessage(doc, threadId, messageId);
  if (!found) return false;
  const message = found.messages.get(found.index);
  doc.transact(() => {
    message.set("text", change.text);
    message.set("mentions", plainMentions(change.mentions));
    message.set("editedAt", new Date().toISOString());
  }, origin);
  return true;
}

/**
 * Deletes a message. A thread goes with its last message (its highlight with it).
 * Returns `deleted`, `thread-deleted` or `not-found`.
 */
export function deleteCommentMessage(doc: Y.Doc, threadId: string, messageId: string, origin?: unknown): "deleted" | "thread-deleted" | "not-found" {
  const found = findMessage(doc, threadId, messageId);
  if (!found) return "not-found";
  const last = found.messages.length === 1;
  doc.transact(() => {
    if (last) commentsMap(doc).delete(threadId);
    else found.messages.delete(found.index, 1);
  }, origin);
  return last ? "thread-deleted" : "deleted";
}

/**
 * Marks a thread resolved by `by`. Returns `resolved`, `already-resolved` (nothing
 * written) or `not-found`.
 */
export function resolveThread(doc: Y.Doc, threadId: string, by: CommentActor, origin?: unknown): "resolved" | "already-resolved" | "not-found" {
  const entry = threadEntry(doc, threadId);
  if (!entry) return "not-found";
  if (statusOf(entry) === "resolved") return "already-resolved";
  doc.transact(() => {
    entry.set("status", "resolved");
    entry.set("resolvedBy", plainActor(by));
    entry.set("resolvedAt", new Date().toISOString());
  }, origin);
  return "resolved";
}

/** Opens a resolved thread again. Returns `reopened`, `already-open` (nothing written) or `not-found`. */
export function reopenThread(doc: Y.Doc, threadId: string, origin?: unknown): "reopened" | "already-open" | "not-found" {
  const entry = threadEntry(doc, threadId);
  if (!entry) return "not-found";
  if (statusOf(entry) === "open") return "already-open";
  doc.transact(() => reopen(entry), origin);
  return "reopened";
}

function reopen(entry: Y.Map<unknown>): void {
  entry.set("status", "open");
  entry.delete("resolvedBy");
  entry.delete("resolvedAt");
}

/**
 * Records that a suggestion answers a thread (an agent asked in a comment suggests the
 * change). Linking the same suggestion twice does nothing. Returns false when there is no
 * such thread.
 */
export function linkSuggestionToThread(doc: Y.Doc, threadId: string, suggestionId: string, origin?: unknown): boolean {
  const entry = threadEntry(doc, threadId);
  const ids = entry ? suggestionIdsOf(entry) : null;
  if (!entry || !ids) return false;
  if (!ids.toArray().includes(suggestionId)) doc.transact(() => ids.push([suggestionId]), origin);
  return true;
}


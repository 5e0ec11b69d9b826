import * as Y from "yjs";
import { newSuggestionId, type SuggestionTarget } from "../suggestions/suggestion-model.ts";

/**
 * The name of the root `Y.Map` that holds every comment thread of a canvas: id → thread.
 *
 * A thread is a `Y.Map` with `id`, `target`, `from` / `to` (encoded Yjs relative
 * positions in the same coordinate system as suggestions: `suggestionTextView(doc,
 * target).anchor(offset, side)`), `quote` (the text at creation), `status`, `createdAt`,
 * `resolvedBy?` / `resolvedAt?`, `messages` (a `Y.Array` of `Y.Map` messages) and
 * `suggestionIds` (a `Y.Array<string>` of the suggestions that answer the thread).
 */
export const commentsMapName = "comments";

/** What a thread is about: the doc canvas's text, or one file of a code canvas. */
export type CommentTarget = SuggestionTarget;

export type CommentStatus = "open" | "resolved";

/** Who did something to a thread: a person (their user id) or an agent (its id, when it has one). */
export interface CommentActor {
  kind: "person" | "agent";
  id: string | null;
  name: string;
}

/** The author of a message, as shown beside it. */
export interface CommentAuthor extends CommentActor {
  color: string;
}

/** Someone a message names with `@Name`. */
export interface CommentMention {
  kind: "person" | "agent";
  id: string;
  name: string;
}

export interface CommentMessage {
  id: string;
  author: CommentAuthor;
  text: string;
  mentions: CommentMention[];
  createdAt: string;
  /** When its author last changed the text (absent: never). */
  editedAt?: string;
}

/** A thread read out of the Y.Doc, with its anchored range resolved in the text as it is now. */
export interface CommentThreadSnapshot {
  id: string;
  /** For code: the file's path now (a thread follows its file through renames). */
  target: CommentTarget;
  status: CommentStatus;
  /**
   * Where the commented text is now, in the offsets of `suggestionTextView(doc, target)`.
   * Null when the text is gone: its paragraph or file was deleted, or everything it
   * quoted was deleted (then `detached` is true).
   */
  from: number | null;
  to: number | null;
  /** True when the commented text no longer exists: the thread stays, anchored nowhere. */
  detached: boolean;
  /** The commented text when the thread was started (at most {@link maxQuoteLength} characters). */
  quote: string;
  createdAt: string;
  resolvedBy?: CommentActor;
  resolvedAt?: string;
  /** Oldest first; the first message started the thread. */
  messages: CommentMessage[];
  /** Suggestions that answer the thread. */
  suggestionIds: string[];
}

/** The longest quote a thread keeps (longer selections are cut, with "…"). */
export const maxQuoteLength = 2000;

export function commentsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(commentsMapName);
}

export function threadEntry(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const entry = commentsMap(doc).get(id);
  return entry instanceof Y.Map ? entry : null;
}

export function messagesOf(entry: Y.Map<unknown>): Y.Array<Y.Map<unknown>> | null {
  const messages = entry.get("messages");
  return messages instanceof Y.Array ? (messages as Y.Array<Y.Map<unknown>>) : null;
}

export function suggestionIdsOf(entry: Y.Map<unknown>): Y.Array<string> | null {
  const ids = entry.get("suggestionIds");
  return ids instanceof Y.Array ? (ids as Y.Array<string>) : null;
}

export function statusOf(entry: Y.Map<unknown>): CommentStatus {
  return entry.get("status") === "resolved" ? "resolved" : "open";
}

export function actorOf(value: unknown): CommentActor | undefined {
  const actor = value as Partial<CommentActor> | undefined;
  if (!actor || typeof actor.name !== "string") return undefined;
  return { kind: actor.kind === "agent" ? "agent" : "person", id: typeof actor.id === "string" ? actor.id : null, name: actor.name };
}

export function authorOf(value: unknown): CommentAuthor {
  const author = value as Partial<CommentAuthor> | undefined;
  const actor = actorOf(value) ?? { kind: "person" as const, id: null, name: "Someone" };
  return { ...actor, color: typeof author?.color === "string" ? author.color : "#868e96" };
}

export function mentionsOf(value: unknown): CommentMention[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: Partial<CommentMention> | null) =>
    item && typeof item.id === "string" && typeof item.name === "string" ? [{ kind: item.kind === "agent" ? ("agent" as const) : ("person" as const), id: item.id, name: item.name }] : [],
  );
}

/** A plain copy of what callers pass, so no caller object ends up shared inside the Y.Doc. */
export function plainAuthor(author: CommentAuthor): CommentAuthor {
  return { kind: author.kind === "agent" ? "agent" : "person", id: author.id ?? null, name: author.name, color: author.color };
}

export function plainActor(actor: CommentActor): CommentActor {
  return { kind: actor.kind === "agent" ? "agent" : "person", id: actor.id ?? null, name: actor.name };
}

export function plainMentions(mentions: readonly CommentMention[] | undefined): CommentMention[] {
  const seen = new Set<string>();
  const plain: CommentMention[] = [];
  for (const mention of mentions ?? []) {
    const key = `${mention.kind}:${mention.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    plain.push({ kind: mention.kind === "agent" ? "agent" : "person", id: mention.id, name: mention.name });
  }
  return plain;
}

/** A new message entry (not yet in any array). Throws when the text is blank. */
export function newMessageEntry(message: { id?: string; author: CommentAuthor; text: string; mentions?: readonly CommentMention[] }): { id: string; entry: Y.Map<unknown>; createdAt: string } {
  if (message.text.trim() === "") throw new Error("A comment needs some text.");
  const id = message.id ?? newCommentId();
  const createdAt = new Date().toISOString();
  const entry = new Y.Map<unknown>();
  entry.set("id", id);
  entry.set("author", plainAuthor(message.author));
  entry.set("text", message.text);
  entry.set("mentions", plainMentions(message.mentions));
  entry.set("createdAt", createdAt);
  return { id, entry, createdAt };
}

/** A random thread or message id: 16 characters of [0-9a-z]. */
export function newCommentId(): string {
  return newSuggestionId();
}

import {
  colorForUser,
  addCommentThread,
  addCommentThreadAt,
  commentMessageAuthor,
  deleteCommentMessage,
  docFromState,
  editCommentMessage,
  findCodeFileByPath,
  linkSuggestionToThread,
  readCommentThread,
  readCommentThreads,
  reopenThread,
  replyToThread,
  resolveThread,
  type CommentActor,
  type CommentAuthor,
  type CommentMention,
  type CommentTarget,
  type CommentThreadFilter,
  type CommentThreadSnapshot,
} from "@cocanvas/content";
import { ApiError, maxCommentLength, type AiSelection } from "@cocanvas/protocol";
import type * as Y from "yjs";
import { anchorSelection } from "../canvases/selection-anchors.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { Logger } from "../logger.ts";
import type { CanvasRow, Storage } from "../storage/storage.ts";
import { parseMentions, type CommentAgentDirectory } from "./mentions.ts";

/**
 * A person wrote `@AgentName` in a comment or reply. The agents runtime subscribes
 * (`comments.onAgentMention`) and answers in the thread.
 */
export interface AgentMentionEvent {
  canvasId: string;
  workspaceId: string;
  threadId: string;
  /** The message that holds the mention. */
  messageId: string;
  agentId: string;
  agentName: string;
  /** The person who wrote the mention; the agent acts on their behalf (and within their role). */
  userId: string;
  author: CommentAuthor;
  /** The message's text. */
  text: string;
}

export type AgentMentionListener = (event: AgentMentionEvent) => void | Promise<void>;

/** A person (or agent) wrote `@Name` of a member in a comment or reply; the notifications subscribe. */
export interface PersonMentionEvent {
  canvasId: string;
  workspaceId: string;
  canvasTitle: string;
  threadId: string;
  messageId: string;
  /** The member who was mentioned. */
  mentionedUserId: string;
  /** Who wrote the message. */
  author: CommentAuthor;
  text: string;
}

export type PersonMentionListener = (event: PersonMentionEvent) => void | Promise<void>;

export interface CommentsDeps {
  storage: Pick<Storage, "getCanvas" | "listMembers">;
  documents: LiveDocuments;
  logger: Logger;
  /** Finds agents by name for `@mentions`; read on every message, so it may be wired after construction. */
  agents?: () => CommentAgentDirectory | null | undefined;
}

/** The transaction origin of comments the server writes. */
export const commentsOrigin: object = Object.freeze({ name: "cocanvas-comments" });

/**
 * Comment threads on canvases, written by the server on the author's behalf: commenters'
 * live connections are read-only, so their comments come through the HTTP API and land
 * here; agents call the same methods. Every write goes into the live document (every
 * connected client sees it at once, and it is logged durably like any edit).
 *
 * Methods take the canvas id and throw `ApiError`s (`not_found` for an unknown canvas
 * or thread, `conflict` for a canvas in the trash or a range that no longer exists,
 * `invalid_request` for blank or oversized text). They do not check the caller's role:
 * the HTTP routes do, and agents are checked by their runtime.
 *
 * @example
 * ```ts
 * const thread = await comments.addThread(canvasId, { target: { kind: "doc" }, from: 4, to: 19, author, text: "Cite a source?" });
 * await comments.reply(canvasId, thread.id, author, "@Critic is this clearer now?");
 * comments.onAgentMention(({ canvasId, threadId, agentId, userId }) => runtime.answer(...));
 * ```
 */
export class Comments {
  private readonly listeners = new Set<AgentMentionListener>();
  private readonly personListeners = new Set<PersonMentionListener>();

  constructor(private readonly deps: CommentsDeps) {}

  /**
   * Calls `listener` after a person's message that mentions an agent was written (once per
   * agent per message). Messages written by agents never notify: an agent naming another
   * agent starts nothing. Returns the function that unsubscribes.
   */
  onAgentMention(listener: AgentMentionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `listener` after a new message (a thread or a reply, not an edit) that mentions a
   * member, once per member per message; a person mentioning themselves is not told.
   * Returns the function that unsubscribes.
   */
  onPersonMention(listener: PersonMentionListener): () => void {
    this.personListeners.add(listener);
    return () => this.personListeners.delete(listener);
  }

  /** The canvas's threads, oldest first, with their ranges resolved in the text as it is now. */
  async list(canvasId: string, filter: CommentThreadFilter = {}): Promise<CommentThreadSnapshot[]> {
    await this.canvas(canvasId);
    return this.read(canvasId, (doc) => readCommentThreads(doc, filter));
  }

  /** One thread; throws `not_found` when the canvas has none with that id. */
  async get(canvasId: string, threadId: string): Promise<CommentThreadSnapshot> {
    await this.canvas(canvasId);
    const thread = this.read(canvasId, (doc) => readCommentThread(doc, threadId));
    if (!thread) throw noSuchThread();
    return thread;
  }

  /**
   * Starts a thread on `[from, to)` in the offsets of `suggestionTextView(doc, target)`
   * (what agents see as the canvas text). `@mentions` in the text are parsed.
   */
  async addThread(canvasId: string, input: { target: CommentTarget; from: number; to: number; author: CommentAuthor; text: string }): Promise<CommentThreadSnapshot> {
    return this.startThread(canvasId, input, (doc, text, mentions) => addCommentThread(doc, { ...input, text, mentions }, commentsOrigin));
  }

  /**
   * Starts a thread on a range given as a request gives it (`anchorSelection`: encoded Yjs
   * relative positions — a browser's selection —, a quoted passage or character offsets).
   * Throws `conflict` when relative positions no longer point into the target (the text
   * was deleted since), 400 when a quote or offsets do not fit the text.
   */
  async addThreadAt(canvasId: string, input: { target: CommentTarget; selection: AiSelection; author: CommentAuthor; text: string }): Promise<CommentThreadSnapshot> {
    return this.startThread(canvasId, input, (doc, text, mentions) => {
      const { from, to } = anchorSelection(doc, input.target, input.selection);
      const added = addCommentThreadAt(doc, { target: input.target, author: input.author, from, to, text, mentions }, commentsOrigin);
      if (!added) throw new ApiError("conflict", "The selected text no longer exists here; select it again.");
      return added;
    });
  }

  /** Checks the text, parses its mentions, writes the thread with `add` and tells mentioned agents. */
  private async startThread(
    canvasId: string,
    input: { target: CommentTarget; author: CommentAuthor; text: string },
    add: (doc: Y.Doc, text: string, mentions: CommentMention[]) => { threadId: string; messageId: string },
  ): Promise<CommentThreadSnapshot> {
    const canvas = await this.writableCanvas(canvasId);
    const text = checkedText(input.text);
    const mentions = await this.mentionsIn(canvas.workspaceId, text);
    const { thread, messageId } = await this.change(canvasId, (doc) => {
      requireTarget(doc, input.target);
      const added = add(doc, text, mentions);
      return { thread: readCommentThread(doc, added.threadId)!, messageId: added.messageId };
    });
    this.notify(canvas, thread.id, messageId, input.author, text, mentions);
    return thread;
  }

  /** Adds a reply (reopening a resolved thread). Returns the thread and the new message's id. */
  async reply(canvasId: string, threadId: string, author: CommentAuthor, text: string): Promise<{ thread: CommentThreadSnapshot; messageId: string }> {
    const canvas = await this.writableCanvas(canvasId);
    const checked = checkedText(text);
    const mentions = await this.mentionsIn(canvas.workspaceId, checked);
    const result = await this.change(canvasId, (doc) => {
      const messageId = replyToThread(doc, threadId, { author, text: checked, mentions }, commentsOrigin);
      if (!messageId) throw noSuchThread();
      return { thread: readCommentThread(doc, threadId)!, messageId };
    });
    this.notify(canvas, threadId, result.messageId, author, checked, mentions);
    return result;
  }

  /**
   * Changes a message's text. Only its author may (`forbidden` for anyone else, owners
   * too: words are not put in someone's mouth). Mentions in the new text are recorded but
   * start no agent: an agent answers the message it was first asked in.
   */
  async editMessage(canvasId: string, threadId: string, messageId: string, editor: { userId: string }, text: string): Promise<CommentThreadSnapshot> {
    const canvas = await this.writableCanvas(canvasId);
    const checked = checkedText(text);
    const mentions = await this.mentionsIn(canvas.workspaceId, checked);
    return this.change(canvasId, (doc) => {
      const author = commentMessageAuthor(doc, threadId, messageId);
      if (!author) throw noSuchMessage();
      if (author.kind !== "person" || author.id !== editor.userId) throw new ApiError("forbidden", "Only its author can change a comment.");
      editCommentMessage(doc, threadId, messageId, { text: checked, mentions }, commentsOrigin);
      return readCommentThread(doc, threadId)!;
    });
  }

  /**
   * Deletes a message: its author may, and so may an owner (anyone's, an agent's too).
   * Returns the thread, or null when it went with its last message.
   */
  async deleteMessage(canvasId: string, threadId: string, messageId: string, by: { userId: string; owner: boolean }): Promise<CommentThreadSnapshot | null> {
    await this.writableCanvas(canvasId);
    return this.change(canvasId, (doc) => {
      const author = commentMessageAuthor(doc, threadId, messageId);
      if (!author) throw noSuchMessage();
      if (!by.owner && (author.kind !== "person" || author.id !== by.userId)) throw new ApiError("forbidden", "Only its author or an owner can delete a comment.");
      return deleteCommentMessage(doc, threadId, messageId, commentsOrigin) === "thread-deleted" ? null : readCommentThread(doc, threadId)!;
    });
  }

  /** Marks a thread resolved by `by` (already resolved: unchanged). */
  async resolve(canvasId: string, threadId: string, by: CommentActor): Promise<CommentThreadSnapshot> {
    await this.writableCanvas(canvasId);
    return this.change(canvasId, (doc) => {
      if (resolveThread(doc, threadId, by, commentsOrigin) === "not-found") throw noSuchThread();
      return readCommentThread(doc, threadId)!;
    });
  }

  /** Opens a resolved thread again (already open: unchanged). */
  async reopen(canvasId: string, threadId: string): Promise<CommentThreadSnapshot> {
    await this.writableCanvas(canvasId);
    return this.change(canvasId, (doc) => {
      if (reopenThread(doc, threadId, commentsOrigin) === "not-found") throw noSuchThread();
      return readCommentThread(doc, threadId)!;
    });
  }

  /** Records that a suggestion answers a thread (linking twice is harmless). */
  async linkSuggestion(canvasId: string, threadId: string, suggestionId: string): Promise<CommentThreadSnapshot> {
    await this.writableCanvas(canvasId);
    return this.change(canvasId, (doc) => {
      if (!linkSuggestionToThread(doc, threadId, suggestionId, commentsOrigin)) throw noSuchThread();
      return readCommentThread(doc, threadId)!;
    });
  }

  /** The people and agents `text` mentions with `@Name`, among the workspace's members and agents. */
  async mentionsIn(workspaceId: string, text: string): Promise<CommentMention[]> {
    if (!text.includes("@")) return [];
    const members = await this.deps.storage.listMembers(workspaceId);
    const people = members.map((member) => ({ userId: member.userId, name: member.name, email: member.email }));
    return parseMentions(text, { people, agents: this.deps.agents?.() ?? null, workspaceId });
  }

  private notify(canvas: CanvasRow, threadId: string, messageId: string, author: CommentAuthor, text: string, mentions: CommentMention[]): void {
    for (const mention of mentions) {
      if (mention.kind !== "person" || (author.kind === "person" && mention.id === author.id)) continue;
      const event: PersonMentionEvent = { canvasId: canvas.id, workspaceId: canvas.workspaceId, canvasTitle: canvas.title, threadId, messageId, mentionedUserId: mention.id, author, text };
      for (const listener of this.personListeners) this.call(() => listener(event), threadId);
    }
    if (author.kind !== "person" || !author.id) return;
    for (const mention of mentions) {
      if (mention.kind !== "agent") continue;
      const event: AgentMentionEvent = {
        canvasId: canvas.id,
        workspaceId: canvas.workspaceId,
        threadId,
        messageId,
        agentId: mention.id,
        agentName: mention.name,
        userId: author.id,
        author,
        text,
      };
      for (const listener of this.listeners) this.call(() => listener(event), threadId);
    }
  }

  /** Runs a mention listener; its failure is logged, never thrown into the comment's request. */
  private call(listener: () => void | Promise<void>, threadId: string): void {
    try {
      void Promise.resolve(listener()).catch((error) => this.deps.logger.error({ err: error, threadId }, "a mention listener failed"));
    } catch (error) {
      this.deps.logger.error({ err: error, threadId }, "a mention listener failed");
    }
  }

  private async canvas(canvasId: string): Promise<CanvasRow> {
    const canvas = await this.deps.storage.getCanvas(canvasId);
    if (!canvas) throw new ApiError("not_found", "No such canvas.");
    return canvas;
  }

  private async writableCanvas(canvasId: string): Promise<CanvasRow> {
    const canvas = await this.canvas(canvasId);
    if (canvas.deletedAt) throw new ApiError("conflict", "The canvas is in the trash.");
    return canvas;
  }

  private read<T>(canvasId: string, read: (doc: Y.Doc) => T): T {
    const doc = docFromState(this.deps.documents.currentState(canvasId));
    try {
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  /** Runs `change` on the live document and returns what it returned; an error it throws is rethrown. */
  private async change<T>(canvasId: string, change: (doc: Y.Doc) => T): Promise<T> {
    let result: { value: T } | { error: unknown } | undefined;
    await this.deps.documents.changeDocument(canvasId, (doc) => {
      try {
        result = { value: change(doc) };
      } catch (error) {
        result = { error };
      }
    });
    if (!result) throw new Error("The document change did not run.");
    if ("error" in result) throw result.error;
    return result.value;
  }
}

function noSuchMessage(): ApiError {
  return new ApiError("not_found", "There is no such comment in this thread.");
}

function noSuchThread(): ApiError {
  return new ApiError("not_found", "There is no such comment thread on this canvas.");
}

function checkedText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new ApiError("invalid_request", "Write something: a comment cannot be empty.");
  if (trimmed.length > maxCommentLength) throw new ApiError("invalid_request", `A comment can be at most ${maxCommentLength} characters long.`);
  return trimmed;
}

/** Throws `not_found` when a code target names no file of the canvas. */
function requireTarget(doc: Y.Doc, target: CommentTarget): void {
  if (target.kind === "code" && !findCodeFileByPath(doc, target.path)) throw new ApiError("not_found", `The canvas has no file "${target.path}".`);
}

export function personAuthor(user: { id: string; name: string }): CommentAuthor {
  return { kind: "person", id: user.id, name: user.name, color: colorForUser(user.id) };
}

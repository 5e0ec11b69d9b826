import { readCommentThreads, type CommentMessage, type CommentStatus, type CommentThreadSnapshot } from "@cocanvas/content";
import type { Role } from "@cocanvas/protocol";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import type * as Y from "yjs";
import type { AiTarget } from "../ai/ai-panel.tsx";
import { useDocSnapshot } from "../ai/use-doc-snapshot.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { SidePanel } from "../ui/side-panel.tsx";
import { formatTime } from "../ui/format-time.ts";
import { hasRole } from "../ui/roles.ts";
import { useAction } from "../ui/use-resource.ts";
import { focusCommentThread, useCommentFocus } from "./comment-focus.ts";
import { useCommentActions, type CommentActions } from "./use-comment-actions.ts";
import "./comments.css";

interface CommentsPanelProps {
  canvasId: string;
  doc: Y.Doc;
  /** The caller's role on the canvas: commenters and above write, viewers read. */
  role: Role | undefined;
  /** The caller: they change and delete their own comments (owners delete anyone's). */
  userId: string;
  /** The editor's selection now (the reader the AI panel uses too). */
  currentTarget(): AiTarget;
  onClose(): void;
}

/**
 * The canvas's comment threads: open or resolved, in the order their text appears. The
 * threads live in the canvas document, so new ones, replies and resolutions show up live
 * for everyone; writing goes through the API (it works for commenters, whose editor is
 * read-only).
 */
export function CommentsPanel({ canvasId, doc, role, userId, currentTarget, onClose }: CommentsPanelProps) {
  const canComment = hasRole(role, "commenter");
  const actions = useCommentActions(canvasId);
  const threads = useDocSnapshot(doc, readCommentThreads);
  const focus = useCommentFocus(doc);
  const [status, setStatus] = useState<CommentStatus>("open");
  const [text, setText] = useState("");
  const action = useAction();
  const items = useRef(new Map<string, HTMLLIElement>());

  // A highlight was clicked in the editor: show its thread.
  useEffect(() => {
    if (!focus || focus.source !== "editor") return;
    const thread = readCommentThreads(doc).find((candidate) => candidate.id === focus.threadId);
    if (thread) setStatus(thread.status);
    requestAnimationFrame(() => items.current.get(focus.threadId)?.scrollIntoView({ block: "nearest", behavior: "smooth" }));
  }, [doc, focus]);

  const shown = inReadingOrder(threads.filter((thread) => thread.status === status));
  const count = (wanted: CommentStatus) => threads.filter((thread) => thread.status === wanted).length;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const comment = text.trim();
    if (!comment) return;
    await action.run(async () => {
      const { selection } = currentTarget();
      if (!selection) throw new Error("Select the text you want to comment on in the canvas first.");
      const thread = await actions.create(selection, comment);
      setText("");
      setStatus("open");
      focusCommentThread(doc, thread.id, "panel");
    });
  }

  return (
    <SidePanel title="Comments" className="comments-panel" testId="comments-panel" closeLabel="Close comments" onClose={onClose}>
      <ErrorBanner message={action.error} />

      {canComment && (
        <form className="comment-composer" onSubmit={submit}>
          <textarea
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={submitOnEnter}
            placeholder="Select text in the canvas, then write a comment… (@name mentions people and agents)"
            aria-label="New comment on the selected text"
            data-testid="comment-text-input"
            rows={3}
          />
          <button type="submit" className="primary" disabled={action.busy || !text.trim()} data-testid="comment-submit">
            Comment on selection
          </button>
        </form>
      )}

      <div className="comment-filter" role="group" aria-label="Show threads">
        {(["open", "resolved"] as const).map((wanted) => (
          <button key={wanted} type="button" className={status === wanted ? "selected" : undefined} aria-pressed={status === wanted} onClick={() => setStatus(wanted)} data-testid={`comment-filter-${wanted}`}>
            {wanted === "open" ? "Open" : "Resolved"} ({count(wanted)})
          </button>
        ))}
      </div>

      <ol className="comment-threads">
        {shown.length === 0 && <li className="muted small">{status === "open" ? (canComment ? "No open comments. Select text and comment on it." : "No open comments.") : "No resolved comments."}</li>}
        {shown.map((thread) => (
          <ThreadItem
            key={thread.id}
            thread={thread}
            active={focus?.threadId === thread.id}
            canComment={canComment}
            mayChange={(message) => canComment && message.author.kind === "person" && message.author.id === userId}
            mayDelete={(message) => canComment && (role === "owner" || (message.author.kind === "person" && message.author.id === userId))}
            actions={actions}
            onFocus={() => focusCommentThread(doc, thread.id, "panel")}
            itemRef={(element) => (element ? items.current.set(thread.id, element) : items.current.delete(thread.id))}
          />
        ))}
      </ol>
    </SidePanel>
  );
}

function ThreadItem({
  thread,
  active,
  canComment,
  mayChange,
  mayDelete,
  actions,
  onFocus,
  itemRef,
}: {
  thread: CommentThreadSnapshot;
  active: boolean;
  canComment: boolean;
  mayChange(message: CommentMessage): boolean;
  mayDelete(message: CommentMessage): boolean;
  actions: CommentActions;
  onFocus(): void;
  itemRef(element: HTMLLIElement | null): void;
}) {
  const [reply, setReply] = useState("");
  const action = useAction();

  async function send(event: FormEvent) {
    event.preventDefault();
    const text = reply.trim();
    if (!text) return;
    const sent = await action.run(() => actions.reply(thread.id, text));
    if (sent) setReply("");
  }

  return (
    <li
      ref={itemRef}
      className={`comment-thread${active ? " is-active" : ""}`}
      data-testid="comment-thread"
      data-thread-id={thread.id}
      data-status={thread.status}
      onClick={(event) => {
        // Typing a reply or pressing a button is not "show me this thread".
        if (!(event.target as Element).closest("textarea, button")) onFocus();
      }}
    >
      <div className="comment-quote" title={thread.quote}>
        {thread.target.kind === "code" && <span className="comment-path">{thread.target.path}</span>}
        {thread.quote ? clip(thread.quote, 160) : <em>a point in the text</em>}
      </div>
      {thread.detached && <div className="comment-detached small">The commented text was deleted.</div>}
      <ol className="comment-messages">
        {thread.messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            mayChange={mayChange(message)}
            mayDelete={mayDelete(message)}
            onEdit={(text) => action.run(() => actions.edit(thread.id, message.id, text))}
            onDelete={() => action.run(() => actions.remove(thread.id, message.id))}
          />
        ))}
      </ol>
      {thread.status === "resolved" && thread.resolvedBy && (
        <div className="muted small" data-testid="comment-resolved-by">
          Resolved by {thread.resolvedBy.name}
          {thread.resolvedAt ? `, ${formatTime(thread.resolvedAt)}` : ""}
        </div>
      )}
      <ErrorBanner message={action.error} />
      {canComment && (
        <form className="comment-reply" onSubmit={send}>
          <textarea
            value={reply}
            onChange={(event) => setReply(event.target.value)}
            onKeyDown={submitOnEnter}
            placeholder={thread.status === "resolved" ? "Reply (reopens the thread)…" : "Reply…"}
            aria-label="Reply"
            data-testid="comment-reply-input"
            rows={1}
          />
          <div className="comment-actions">
            <button type="submit" disabled={action.busy || !reply.trim()} data-testid="comment-reply-submit">
              Reply
            </button>
            {thread.status === "open" ? (
              <button type="button" disabled={action.busy} onClick={() => void action.run(() => actions.resolve(thread.id))} data-testid="comment-resolve">
                Resolve
              </button>
            ) : (
              <button type="button" disabled={action.busy} onClick={() => void action.run(() => actions.reopen(thread.id))} data-testid="comment-reopen">
                Reopen
              </button>
            )}
          </div>
        </form>
      )}
    </li>
  );
}

/** One comment: who wrote it and when, its text, and Edit / Delete for those who may. */
function MessageItem({
  message,
  mayChange,
  mayDelete,
  onEdit,
  onDelete,
}: {
  message: CommentMessage;
  mayChange: boolean;
  mayDelete: boolean;
  onEdit(text: string): Promise<unknown>;
  onDelete(): Promise<unknown>;
}) {
  const [draft, setDraft] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    const text = draft?.trim();
    if (!text) return;
    if ((await onEdit(text)) !== undefined) setDraft(null); // undefined: it failed and says why; keep the draft
  }

  return (
    <li className="comment-message" data-testid="comment-message">
      <div className="comment-author">
        <span className="comment-dot" style={{ background: message.author.color }} />
        <strong>{message.author.name}</strong>
        {message.author.kind === "agent" && <span className="comment-agent">agent</span>}
        <time className="muted small" dateTime={message.createdAt} title={message.editedAt ? `edited ${formatTime(message.editedAt)}` : undefined}>
          {formatTime(message.createdAt)}
          {message.editedAt ? " · edited" : ""}
        </time>
      </div>
      {draft === null ? (
        <div className="comment-text">{withMentions(message)}</div>
      ) : (
        <form className="comment-reply" onSubmit={save}>
          <textarea value={draft} onChange={(event) => setDraft(event.target.value)} onKeyDown={submitOnEnter} aria-label="Change comment" rows={2} autoFocus />
          <div className="comment-actions">
            <button type="submit" disabled={!draft.trim()}>
              Save
            </button>
            <button type="button" className="quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {draft === null && (mayChange || mayDelete) && (
        <div className="comment-message-actions">
          {mayChange && (
            <button type="button" className="quiet small" onClick={() => setDraft(message.text)} aria-label={`Edit comment by ${message.author.name}`}>
              Edit
            </button>
          )}
          {mayDelete && (
            <button type="button" className="quiet small" onClick={() => void onDelete()} aria-label={`Delete comment by ${message.author.name}`}>
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Enter sends, Shift+Enter starts a new line. */
function submitOnEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

/** Threads in the order their text appears (per file for code); detached ones last, oldest first. */
function inReadingOrder(threads: CommentThreadSnapshot[]): CommentThreadSnapshot[] {
  const fileOf = (thread: CommentThreadSnapshot) => (thread.target.kind === "code" ? thread.target.path : "");
  return [...threads].sort((first, second) => {
    if (first.detached !== second.detached) return first.detached ? 1 : -1;
    const file = fileOf(first).localeCompare(fileOf(second));
    if (file !== 0) return file;
    return (first.from ?? 0) - (second.from ?? 0) || first.createdAt.localeCompare(second.createdAt);
  });
}

/** The message's text with each `@Name` it mentions set apart. */
function withMentions(message: CommentMessage): ReactNode[] {
  const names = message.mentions.map((mention) => `@${mention.name}`).sort((first, second) => second.length - first.length);
  if (names.length === 0) return [message.text];
  const pattern = new RegExp(`(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "gi");
  return message.text.split(pattern).map((part, index) =>
    index % 2 === 1 ? (
      <span key={index} className="comment-mention" data-testid="comment-mention">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

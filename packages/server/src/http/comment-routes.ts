import type { CommentTarget } from "@cocanvas/content";
import { ApiError, CommentCreateBody, CommentReplyBody, CommentStatusQuery } from "@cocanvas/protocol";
import { personAuthor } from "../comments/comments.ts";
import type { Services } from "../services.ts";
import type { CanvasRow } from "../storage/storage.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { checkSelection } from "../canvases/selection-anchors.ts";

function targetOf(canvas: CanvasRow, path: string | undefined): CommentTarget {
  if (canvas.kind === "doc") return { kind: "doc" };
  if (!path) throw new ApiError("invalid_request", "Name the code file the selection is in (`selection.path`).");
  return { kind: "code", path };
}

/**
 * Comment threads. Commenters' live connections are read-only, so threads, replies and
 * resolutions go through these routes and the server writes them into the live document
 * on the caller's behalf (every connected client sees them at once).
 */
export function addCommentRoutes(api: ApiRouter, services: Services) {
  const { access, comments } = services;
  const user = (context: ApiContext) => context.get("user")!;
  const canvasFor = (context: ApiContext, needed: "commenter" | "viewer") => access.requireCanvas(user(context).id, context.req.param("id")!, needed);
  const threadId = (context: ApiContext) => context.req.param("threadId")!;

  api.add(
    "get",
    "/api/canvases/{id}/comments",
    { summary: "The canvas's comment threads, oldest first, with where each is now (null offsets when its text was deleted)", role: "viewer", query: { status: "open or resolved: only those threads" } },
    async (context) => {
      const { canvas } = await canvasFor(context, "viewer");
      const status = context.req.query("status");
      const parsed = status === undefined ? undefined : CommentStatusQuery.safeParse(status);
      if (parsed && !parsed.success) throw new ApiError("invalid_request", "status must be open or resolved.");
      return context.json({ items: await comments.list(canvas.id, parsed ? { status: parsed.data } : {}) });
    },
  );

  api.add(
    "post",
    "/api/canvases/{id}/comments",
    { summary: "Start a comment thread on a range (Yjs relative positions, a quoted passage or character offsets, as the AI run API takes them); @Name mentions people and agents", role: "commenter", body: CommentCreateBody, success: 201 },
    async (context, body) => {
      const { canvas } = await canvasFor(context, "commenter");
      const target = targetOf(canvas, body.selection.path);
      checkSelection(body.selection);
      const thread = await comments.addThreadAt(canvas.id, { target, selection: body.selection, author: personAuthor(user(context)), text: body.text });
      return context.json(thread, 201);
    },
  );

  api.add(
    "post",
    "/api/canvases/{id}/comments/{threadId}/replies",
    { summary: "Reply in a comment thread (a reply reopens a resolved thread)", role: "commenter", body: CommentReplyBody, success: 201 },
    async (context, body) => {
      const { canvas } = await canvasFor(context, "commenter");
      const { thread } = await comments.reply(canvas.id, threadId(context), personAuthor(user(context)), body.text);
      return context.json(thread, 201);
    },
  );

  api.add(
    "patch",
    "/api/canvases/{id}/comments/{threadId}/messages/{messageId}",
    { summary: "Change the text of your own comment (it shows as edited; new @mentions start no agent)", role: "commenter", body: CommentReplyBody },
    async (context, body) => {
      const { canvas } = await canvasFor(context, "commenter");
      return context.json(await comments.editMessage(canvas.id, threadId(context), context.req.param("messageId")!, { userId: user(context).id }, body.text));
    },
  );

  api.add(
    "delete",
    "/api/canvases/{id}/comments/{threadId}/messages/{messageId}",
    { summary: "Delete your own comment (owners: anyone's); the thread goes with its last comment", role: "commenter", success: 204 },
    async (context) => {
      const { canvas, role } = await canvasFor(context, "commenter");
      await comments.deleteMessage(canvas.id, threadId(context), context.req.param("messageId")!, { userId: user(context).id, owner: role === "owner" });
      return context.body(null, 204);
    },
  );

  api.add("post", "/api/canvases/{id}/comments/{threadId}/resolve", { summary: "Resolve a comment thread", role: "commenter" }, async (context) => {
    const { canvas } = await canvasFor(context, "commenter");
    const me = user(context);
    return context.json(await comments.resolve(canvas.id, threadId(context), { kind: "person", id: me.id, name: me.name }));
  });

  api.add("post", "/api/canvases/{id}/comments/{threadId}/reopen", { summary: "Reopen a resolved comment thread", role: "commenter" }, async (context) => {
    const { canvas } = await canvasFor(context, "commenter");
    return context.json(await comments.reopen(canvas.id, threadId(context)));
  });
}

import { z } from "zod";
import { AiSelection } from "./ai.ts";

/** The longest comment or reply accepted, in characters. */
export const maxCommentLength = 10_000;

const commentText = z
  .string()
  .trim()
  .min(1, "Write something: a comment cannot be empty.")
  .max(maxCommentLength, `A comment can be at most ${maxCommentLength} characters long.`);

/** Start a thread on a range (a quote, character offsets or Yjs relative positions: `AiSelection`, as the AI run API takes them). */
export const CommentCreateBody = z.strictObject({
  /** The commented range; `path` names the file on a code canvas. */
  selection: AiSelection,
  text: commentText,
});

export const CommentReplyBody = z.strictObject({ text: commentText });

/** `GET /api/canvases/{id}/comments?status=`: only open or only resolved threads. */
export const CommentStatusQuery = z.enum(["open", "resolved"]);

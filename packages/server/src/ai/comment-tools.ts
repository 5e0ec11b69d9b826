import { addCommentThread, readCommentThreads, replyToThread, suggestionTextView, type CommentAuthor, type SuggestionTarget } from "@cocanvas/content";
import { tool, type ToolSet } from "ai";
import type * as Y from "yjs";
import { z } from "zod";
import { locatePassage } from "./edit-tools.ts";

export interface CommentToolsOptions {
  doc: Y.Doc;
  target: SuggestionTarget;
  origin: object;
  author: CommentAuthor;
  /** Where the agent may work (the selection, re-resolved), or null for all of it. */
  range(): { from: number; to: number } | null;
  onLocate(from: number, to: number): void;
  /** Whether the invoker may still comment (checked before every comment). */
  allowed(): Promise<boolean>;
  record(name: string, input: unknown, result: string, detail: string): void;
}

/**
 * Comment tools: a thread anchored to an exact passage, or a reply in an existing thread.
 * Agents' comments carry no mentions, so an agent can never start another agent by
 * writing its name: hand-offs are the only way (and they are depth-limited).
 */
export function commentTools(options: CommentToolsOptions): ToolSet {
  const { doc, target, origin, author } = options;
  const refused = "Error: the person who asked may no longer comment on this canvas. Nothing was written.";
  return {
    comment: tool({
      description: "Leave a review comment anchored to an exact passage: what is wrong, why, and what would fix it.",
      inputSchema: z.object({ find: z.string().describe("The passage the comment is about, copied exactly from the text"), text: z.string().describe("The comment") }),
      execute: async (input) => {
        let result: string;
        let detail = "";
        if (!(await options.allowed())) result = refused;
        else if (!input.text.trim()) result = "Error: the comment is empty. Nothing was written.";
        else {
          const found = locatePassage(suggestionTextView(doc, target).text, options.range(), input.find, "find");
          if ("error" in found) result = `Error: ${found.error}. Nothing was written.`;
          else {
            options.onLocate(found.at, found.at + input.find.length);
            const { threadId } = addCommentThread(doc, { target, from: found.at, to: found.at + input.find.length, author, text: input.text }, origin);
            result = `Done: comment thread ${threadId}.`;
            detail = threadId;
          }
        }
        options.record("comment", input, result, detail);
        return result;
      },
    }),
    reply: tool({
      description: "Reply in an existing comment thread (by its id).",
      inputSchema: z.object({ threadId: z.string().describe("The thread's id"), text: z.string().describe("The reply") }),
      execute: async (input) => {
        let result: string;
        if (!(await options.allowed())) result = refused;
        else if (!input.text.trim()) result = "Error: the reply is empty. Nothing was written.";
        else {
          const messageId = replyToThread(doc, input.threadId, { author, text: input.text }, origin);
          result = messageId ? `Done: replied in thread ${input.threadId}.` : `Error: there is no thread ${input.threadId}.`;
        }
        options.record("reply", input, result, input.threadId);
        return result;
      },
    }),
  };
}

/** The open comment threads (or the one a mention is about) as the model reads them. */
export function threadsForPrompt(doc: Y.Doc, threadId: string | null): string {
  const threads = readCommentThreads(doc).filter((thread) => (threadId ? thread.id === threadId : thread.status === "open"));
  if (threads.length === 0) return "";
  const lines = threads.slice(0, 30).map((thread) => {
    const messages = thread.messages.map((message) => `  ${message.author.name}: ${message.text}`).join("\n");
    return `<thread id="${thread.id}"${thread.detached ? ' detached="true"' : ""}>\n  on: "${thread.quote}"\n${messages}\n</thread>`;
  });
  return `${threadId ? "You were asked in this comment thread" : "Open comment threads"}:\n${lines.join("\n")}`;
}

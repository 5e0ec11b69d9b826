import type { AiSelection } from "@cocanvas/protocol";
import type { CommentThreadSnapshot } from "@cocanvas/content";
import { useMemo } from "react";
import { api } from "../app/api-client.ts";

/**
 * Writing comments goes through the API even for editors: commenters' live connections
 * are read-only, and the server parses @mentions (and tells mentioned agents). Reading
 * needs no call: threads live in the canvas's Y.Doc.
 */
export function useCommentActions(canvasId: string) {
  return useMemo(() => {
    const base = `/api/canvases/${canvasId}/comments`;
    return {
      create: (selection: AiSelection, text: string) => api.post<CommentThreadSnapshot>(base, { selection, text }),
      reply: (threadId: string, text: string) => api.post<CommentThreadSnapshot>(`${base}/${threadId}/replies`, { text }),
      resolve: (threadId: string) => api.post<CommentThreadSnapshot>(`${base}/${threadId}/resolve`),
      reopen: (threadId: string) => api.post<CommentThreadSnapshot>(`${base}/${threadId}/reopen`),
      edit: (threadId: string, messageId: string, text: string) => api.patch<CommentThreadSnapshot>(`${base}/${threadId}/messages/${messageId}`, { text }),
      remove: (threadId: string, messageId: string) => api.delete(`${base}/${threadId}/messages/${messageId}`),
    };
  }, [canvasId]);
}

export type CommentActions = ReturnType<typeof useCommentActions>;

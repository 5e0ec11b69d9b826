import {
  colorForUser,
  acceptAllSuggestions,
  acceptSuggestion,
  readSuggestions,
  rejectAllSuggestions,
  rejectSuggestion,
  docFromState,
  readChat,
} from "@cocanvas/content";
import { AiFeedbackBody, AiRunCreateBody, ApiError, builtinQuickActions, QuickActionCreateBody, roleAtLeast, SuggestionDecisionBody } from "@cocanvas/protocol";
import { promptForViewer } from "../ai/run-prompt.ts";
import { streamSSE } from "hono/streaming";
import type { RunEvent } from "../ai/run-feed.ts";
import { newId } from "../ids.ts";
import type { Services } from "../services.ts";
import type { AiRunRow, QuickActionRow } from "../storage/ai-store.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { checkSelection } from "../canvases/selection-anchors.ts";

/** A run's provenance as the API shows it (the prompt is what the model saw; another person's memory section is left out). */
function runJson(run: AiRunRow, viewer: { id: string; isAdmin: boolean }) {
  return { ...run, prompt: promptForViewer(run.prompt, run.userId, viewer) };
}

/** The reply a run wrote into its canvas's chat ("" when it is gone). */
function replyTextOf(state: Uint8Array, runId: string): string {
  const doc = docFromState(state);
  try {
    return readChat(doc).find((message) => message.runId === runId && message.role === "assistant")?.text ?? "";
  } finally {
    doc.destroy();
  }
}

function quickActionJson(action: QuickActionRow) {
  return { id: action.id, label: action.name, prompt: action.prompt, canvasKind: action.canvasKind, source: action.userId ? "user" : "workspace", createdBy: action.createdBy };
}


export function addAiRoutes(api: ApiRouter, services: Services) {
  const { storage, access, documents, coEditor } = services;
  const replyText = (canvasId: string, runId: string) => replyTextOf(documents.currentState(canvasId), runId);
  const user = (context: ApiContext) => context.get("user")!;
  const canvasFor = (context: ApiContext, needed: "owner" | "editor" | "commenter" | "viewer") =>
    access.requireCanvas(user(context).id, context.req.param("id")!, needed);
  /** A run, if the caller holds `needed` on its canvas (404 otherwise, like the canvas itself). */
  const runFor = async (context: ApiContext, needed: "commenter" | "viewer") => {
    const run = await storage.ai.getRun(context.req.param("id")!);
    if (!run) throw new ApiError("not_found", "There is no such AI run.");
    await access.requireCanvas(user(context).id, run.canvasId, needed);
    return run;
  };

  api.add(
    "post",
    "/api/canvases/{id}/ai/runs",
    {
      summary:
        "Ask an agent (the Assistant unless `agentId` names another) to work on a canvas — an instruction or a quick action, on a selection or the whole canvas; the reply, suggestions and comments stream into the canvas. The agent acts with your permissions: commenters get comments only.",
      role: "commenter",
      body: AiRunCreateBody,
      success: 201,
    },
    async (context, body) => {
      const { canvas } = await canvasFor(context, "commenter");
      if (canvas.deletedAt) throw new ApiError("conflict", "The canvas is in the trash.");
      const me = user(context);
      const { agent: agentName, agentId, selection, ...request } = body;
      if (selection) checkSelection(selection);
      // The model itself (and which local files it may name) is checked when the run resolves it, before anything is written.
      if (request.model?.trim()) await access.requireModelChoice(me.id, canvas.workspaceId, "the model of a request");
      const wanted = agentName ?? agentId;
      const agent = wanted ? await services.agentDirectory.find(canvas.workspaceId, wanted) : undefined;
      if (agent === null) throw new ApiError("not_found", `There is no agent "${wanted}" in this workspace.`);
      const started = await coEditor.start({
        canvas,
        user: { id: me.id, name: me.name, color: colorForUser(me.id) },
        agent,
        ...request,
        ...(selection ? { selection } : {}),
      });
      return context.json(started, 201);
    },
  );

  api.add("get", "/api/canvases/{id}/ai/runs", { summary: "The AI runs on a canvas, newest first, with their provenance", role: "viewer" }, async (context) => {
    const { canvas } = await canvasFor(context, "viewer");
    return context.json({ items: (await storage.ai.listRuns(canvas.id, 100)).map((run) => runJson(run, user(context))) });
  });

  api.add("get", "/api/ai/runs/{id}", { summary: "One AI run: model, prompt, tool calls, tokens, timing, its suggestions and the feedback on them", role: "viewer" }, async (context) => {
    const run = await runFor(context, "viewer");
    const [suggestions, feedback] = await Promise.all([storage.ai.listSuggestions(run.id), storage.ai.listFeedback(run.id)]);
    return context.json({ ...runJson(run, user(context)), running: coEditor.isRunning(run.id), suggestions, feedback });
  });

  api.add(
    "get",
    "/api/ai/runs/{id}/events",
    {
      summary:
        "Follow a run as server-sent events: `run-state` first (status, reply text, tool calls, suggestions so far), then `text-delta`, `tool-call-end`, `suggestion-start`, `suggestion-end`, and `run-status` last, when the run ends",
      role: "viewer",
    },
    async (context) => {
      const run = await runFor(context, "viewer");
      const userId = user(context).id;
      return streamSSE(context, async (stream) => {
        let writing = Promise.resolve();
        let ended!: () => void;
        const end = new Promise<void>((resolve) => (ended = resolve));
        let checkedAt = Date.now();
        const send = (event: RunEvent) => {
          writing = writing.then(async () => {
            if (stream.aborted || stream.closed) return;
            // Losing the right to see the canvas ends the stream at once (checked at most once a second while text streams).
            if (event.type !== "text-delta" || Date.now() - checkedAt > 1000) {
              checkedAt = Date.now();
              const canvas = await storage.getCanvas(run.canvasId);
              if (!canvas || !(await access.canvasRole(userId, canvas))) return ended();
            }
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            if (event.type === "run-status" && event.status !== "running") ended();
          }).catch(() => ended()); // the follower went away: stop following
        };
        const unfollow = coEditor.follow(run.id, send);
        if (!unfollow) {
          // The run has ended (or runs on no process here): its state as stored, then its end.
          const latest = (await storage.ai.getRun(run.id)) ?? run;
          const suggestions = await storage.ai.listSuggestions(run.id);
          send({ type: "run-state", runId: run.id, status: latest.status, text: replyText(run.canvasId, run.id), toolCalls: latest.toolCalls, suggestions: suggestions.map(({ id, status }) => ({ id, status })), error: latest.error });
          send({ type: "run-status", status: latest.status, error: latest.error });
        }
        stream.onAbort(() => ended());
        await end;
        unfollow?.();
        await writing;
      });
    },
  );

  api.add("post", "/api/ai/runs/{id}/stop", { summary: "Stop a streaming AI run; what arrived stays as partial suggestions", role: "commenter" }, async (context) => {
    const run = await runFor(context, "commenter");
    return context.json({ stopped: coEditor.stop(run.id) });
  });

  api.add("post", "/api/ai/runs/{id}/feedback", { summary: "Thumbs up or down on an AI reply", role: "viewer", body: AiFeedbackBody, success: 204 }, async (context, body) => {
    const run = await runFor(context, "viewer");
    await storage.ai.addFeedback({ canvasId: run.canvasId, runId: run.id, suggestionId: null, userId: user(context).id, kind: body.rating === "up" ? "thumbs_up" : "thumbs_down", finalText: null });
    return context.body(null, 204);
  });

  api.add("get", "/api/canvases/{id}/suggestions", { summary: "The canvas's AI suggestions with their live status (stale when the text they target has changed)", role: "viewer" }, async (context) => {
    const { canvas } = await canvasFor(context, "viewer");
    const doc = docFromState(documents.currentState(canvas.id));
    try {
      return context.json({ items: readSuggestions(doc) });
    } finally {
      doc.destroy();
    }
  });

  const decide = (path: string, summary: string, change: "accept" | "reject") =>
    api.add("post", path, { summary, role: "editor", body: SuggestionDecisionBody }, async (context, body) => {
      const { canvas } = await canvasFor(context, "editor");
      const me = user(context);
      const decidedBy = { id: me.id, name: me.name };
      const origin = { userId: me.id };
      const suggestionId = context.req.param("suggestionId");
      let outcome: unknown;
      await documents.changeDocument(canvas.id, (doc) => {
        if (suggestionId === undefined) outcome = change === "accept" ? acceptAllSuggestions(doc, decidedBy, { origin }) : rejectAllSuggestions(doc, decidedBy, { origin });
        else if (change === "accept") outcome = acceptSuggestion(doc, suggestionId, decidedBy, { origin, editedText: body.editedText });
        else outcome = rejectSuggestion(doc, suggestionId, decidedBy, { origin });
      });
      if (outcome === "not-found") throw new ApiError("not_found", "There is no such suggestion on this canvas.");
      if (outcome === "stale") throw new ApiError("conflict", "The text this suggestion targets has changed since; it was marked stale and not applied.");
      if (outcome === "not-pending") throw new ApiError("conflict", "This suggestion has already been decided.");
      return context.json({ result: outcome });
    });
  decide("/api/canvases/{id}/suggestions/{suggestionId}/accept", "Accept a suggestion (optionally with your edit of its text)", "accept");
  decide("/api/canvases/{id}/suggestions/{suggestionId}/reject", "Reject a suggestion", "reject");
  decide("/api/canvases/{id}/suggestions/accept-all", "Accept every pending suggestion", "accept");
  decide("/api/canvases/{id}/suggestions/reject-all", "Reject every pending suggestion", "reject");

  api.add("get", "/api/canvases/{id}/quick-actions", { summary: "Quick actions for a canvas: built-in ones for its kind, yours and the workspace's", role: "viewer" }, async (context) => {
    const { canvas } = await canvasFor(context, "viewer");
    const saved = await storage.ai.listQuickActions(user(context).id, canvas.workspaceId);
    const fits = (kind: string) => kind === "any" || kind === canvas.kind;
    return context.json({ items: [...builtinQuickActions.filter((action) => fits(action.canvasKind)), ...saved.filter((action) => fits(action.canvasKind)).map(quickActionJson)] });
  });

  api.add("post", "/api/quick-actions", { summary: "Save a quick action for yourself, or share it with a workspace (editors and owners)", role: "viewer", body: QuickActionCreateBody, success: 201 }, async (context, body) => {
    const me = user(context);
    await access.requireWorkspace(me.id, body.workspaceId, body.scope === "workspace" ? "editor" : "viewer");
    const action = await storage.ai.createQuickAction({
      id: newId(),
      userId: body.scope === "user" ? me.id : null,
      workspaceId: body.scope === "workspace" ? body.workspaceId : null,
      name: body.name,
      prompt: body.prompt,
      canvasKind: body.canvasKind,
      createdBy: me.id,
    });
    return context.json(quickActionJson(action), 201);
  });

  api.add("delete", "/api/quick-actions/{id}", { summary: "Delete a saved quick action (your own; a shared one: its author or a workspace owner)", role: "viewer", success: 204 }, async (context) => {
    const me = user(context);
    const action = await storage.ai.getQuickAction(context.req.param("id")!);
    const mine = action?.userId === me.id;
    const role = action?.workspaceId ? await storage.getMemberRole(action.workspaceId, me.id) : null;
    if (!action || (!mine && !role)) throw new ApiError("not_found", "There is no such quick action.");
    if (!mine && action.createdBy !== me.id && !roleAtLeast(role!, "owner")) throw new ApiError("forbidden", "Only its author or a workspace owner may delete a shared quick action.");
    await storage.ai.deleteQuickAction(action.id);
    return context.body(null, 204);
  });
}

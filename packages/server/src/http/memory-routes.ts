import { MemoryPatchBody, type MemoryEntry } from "@cocanvas/protocol";
import type { Services } from "../services.ts";
import type { MemoryRow } from "../storage/memory-store.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";

function entryJson(entry: MemoryRow): MemoryEntry {
  return { id: entry.id, workspaceId: entry.workspaceId, kind: entry.kind, text: entry.text, sourceRunId: entry.sourceRunId, createdAt: entry.createdAt, updatedAt: entry.updatedAt };
}

/**
 * A person's memory: what agents learnt about them in a workspace. Strictly their own —
 * nobody else's entries are listed, and another person's entry id answers 404.
 */
export function addMemoryRoutes(api: ApiRouter, services: Services) {
  const { access, memory } = services;
  const me = (context: ApiContext) => context.get("user")!;
  const workspaceOf = async (context: ApiContext) => (await access.requireWorkspace(me(context).id, context.req.param("id")!, "viewer")).workspace;

  api.add("get", "/api/workspaces/{id}/memory", { summary: "What agents remember about you in this workspace (your entries only)", role: "viewer" }, async (context) => {
    const workspace = await workspaceOf(context);
    const [entries, reflectedAt] = await Promise.all([memory.list(me(context).id, workspace.id), memory.reflectedAt(me(context).id, workspace.id)]);
    return context.json({ items: entries.map(entryJson), reflectedAt });
  });

  api.add(
    "post",
    "/api/workspaces/{id}/memory/reflect",
    { summary: "Reflect now: distil style rules and facts from your decisions, thumbs and requests since the last reflection into your memory", role: "viewer" },
    async (context) => {
      const workspace = await workspaceOf(context);
      const result = await memory.reflect(me(context).id, workspace.id);
      return context.json({ added: result.added.map(entryJson), items: result.entries.map(entryJson), evidence: result.evidence, reflectedAt: result.reflectedAt });
    },
  );

  api.add("delete", "/api/workspaces/{id}/memory", { summary: "Forget everything agents remember about you in this workspace", role: "viewer", success: 204 }, async (context) => {
    const workspace = await workspaceOf(context);
    await memory.clear(me(context).id, workspace.id);
    return context.body(null, 204);
  });

  api.add("patch", "/api/memory/{entryId}", { summary: "Change the text of one of your memory entries", body: MemoryPatchBody }, async (context, body) => {
    const entry = await memory.update(me(context).id, context.req.param("entryId")!, body.text);
    return context.json(entryJson(entry));
  });

  api.add("delete", "/api/memory/{entryId}", { summary: "Delete one of your memory entries", success: 204 }, async (context) => {
    await memory.remove(me(context).id, context.req.param("entryId")!);
    return context.body(null, 204);
  });
}

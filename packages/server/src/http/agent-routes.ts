import { AgentCreateBody, AgentPatchBody, ApiError, roleAtLeast } from "@cocanvas/protocol";
import type { AgentProfile } from "../agents/personas.ts";
import { newId } from "../ids.ts";
import type { Services } from "../services.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";

function agentJson(agent: AgentProfile & { createdBy?: string | null }) {
  return { id: agent.id, name: agent.name, color: agent.color, persona: agent.persona, instructions: agent.instructions, model: agent.model, tools: agent.tools, ...agent.budget, chainMaxRuns: agent.chainBudget?.maxRuns ?? null, chainMaxTokens: agent.chainBudget?.maxTokens ?? null, chainMaxSeconds: agent.chainBudget?.maxSeconds ?? null, builtin: agent.builtin };
}

export function addAgentRoutes(api: ApiRouter, services: Services) {
  const { storage, access, agentDirectory } = services;
  const me = (context: ApiContext) => context.get("user")!;

  /** A workspace agent the caller may change: its author, or a workspace owner. */
  async function agentToChange(context: ApiContext) {
    const row = await storage.agents.getAgent(context.req.param("id")!);
    const role = row ? await access.workspaceRole(me(context).id, row.workspaceId) : null;
    if (!row || !role) throw new ApiError("not_found", "There is no such agent.");
    if (!roleAtLeast(role, "editor") || (row.createdBy !== me(context).id && role !== "owner")) {
      throw new ApiError("forbidden", "Only the agent's author (an editor) or a workspace owner may change it.");
    }
    return row;
  }

  async function uniqueName(workspaceId: string, name: string, except?: string) {
    const taken = (await agentDirectory.list(workspaceId)).some((agent) => agent.id !== except && agent.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new ApiError("conflict", `An agent called "${name}" already exists in this workspace (built-in names are taken too).`);
  }

  api.add("get", "/api/workspaces/{id}/agents", { summary: "The agents this workspace can call on: built-in personas and its own", role: "viewer" }, async (context) => {
    const { workspace } = await access.requireWorkspace(me(context).id, context.req.param("id")!, "viewer");
    return context.json({ items: (await agentDirectory.list(workspace.id)).map(agentJson) });
  });

  api.add("post", "/api/workspaces/{id}/agents", { summary: "Define an agent for the workspace: name, persona or instructions, model, tools, budget", role: "editor", body: AgentCreateBody, success: 201 }, async (context, body) => {
    const { workspace } = await access.requireWorkspace(me(context).id, context.req.param("id")!, "editor");
    await uniqueName(workspace.id, body.name);
    const model = body.model === null ? null : services.modelSettings.parseChoice(body.model, "agent's model").spec;
    if (model !== null) await access.requireModelChoice(me(context).id, workspace.id, "an agent's model");
    const row = await storage.agents.createAgent({ id: newId(), workspaceId: workspace.id, createdBy: me(context).id, ...body, model });
    services.events.workspaceChanged(workspace.id, "agents");
    return context.json(agentJson((await agentDirectory.get(workspace.id, row.id))!), 201);
  });

  api.add("patch", "/api/agents/{id}", { summary: "Change a workspace agent (its author or an owner)", role: "editor", body: AgentPatchBody }, async (context, body) => {
    const row = await agentToChange(context);
    if (body.name) await uniqueName(row.workspaceId, body.name, row.id);
    if (body.model !== undefined && body.model !== row.model) {
      // Choosing another model (or clearing it back to the workspace's) is the owners' decision.
      if (body.model) body.model = services.modelSettings.parseChoice(body.model, "agent's model").spec;
      if (body.model !== row.model) await access.requireModelChoice(me(context).id, row.workspaceId, "an agent's model");
    }
    await storage.agents.updateAgent(row.id, body);
    services.events.workspaceChanged(row.workspaceId, "agents");
    return context.json(agentJson((await agentDirectory.get(row.workspaceId, row.id))!));
  });

  api.add("delete", "/api/agents/{id}", { summary: "Delete a workspace agent (its author or an owner)", role: "editor", success: 204 }, async (context) => {
    const row = await agentToChange(context);
    await storage.agents.deleteAgent(row.id);
    services.events.workspaceChanged(row.workspaceId, "agents");
    return context.body(null, 204);
  });

  api.add("get", "/api/canvases/{id}/activity", { summary: "What agents did on the canvas, newest first, and which runs are going on now", role: "viewer" }, async (context) => {
    const { canvas } = await access.requireCanvas(me(context).id, context.req.param("id")!, "viewer");
    return context.json({ items: await storage.agents.listActivity(canvas.id, 200), running: services.coEditor.runningOn(canvas.id) });
  });
}

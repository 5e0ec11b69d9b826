import { AdminModelsBody, WorkspaceModelBody } from "../models/model-settings.ts";
import type { Services } from "../services.ts";
import type { ApiRouter } from "./api-router.ts";

/**
 * Model choice: the admin's default and provider credentials (keys are write-only), each
 * workspace's default, and what any signed-in user may know (the effective default and
 * which providers are ready — never a key or an address).
 */
export function addModelRoutes(api: ApiRouter, services: Services) {
  const { access, storage, modelSettings: settings, logger } = services;
  const userId = (context: { get(key: "user"): { id: string } | null }) => context.get("user")!.id;

  api.add("get", "/api/admin/models", { summary: "Default model and provider settings (shows whether keys are set, never the keys)", auth: "admin" }, async (context) =>
    context.json(await settings.adminView()),
  );

  api.add(
    "put",
    "/api/admin/models",
    { summary: "Change the default model, provider keys (write-only) or addresses; null clears a value", auth: "admin", body: AdminModelsBody },
    async (context, body) => {
      const changed = await settings.update(body);
      logger.info({ changed, by: userId(context) }, "model settings changed");
      return context.json(await settings.adminView());
    },
  );

  api.add("get", "/api/workspaces/{id}/model", { summary: "The workspace's default model and the model it uses", role: "viewer" }, async (context) => {
    const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "viewer");
    return context.json({ model: await storage.getWorkspaceModel(workspace.id), effective: await settings.effectiveDefault(workspace.id) });
  });

  api.add(
    "put",
    "/api/workspaces/{id}/model",
    { summary: "Set the workspace's default model (`provider:model`; null uses the server's)", role: "owner", body: WorkspaceModelBody },
    async (context, body) => {
      const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "owner");
      const model = await settings.setWorkspaceModel(workspace.id, body.model);
      return context.json({ model, effective: await settings.effectiveDefault(workspace.id) });
    },
  );

  api.add(
    "get",
    "/api/models",
    { summary: "The default model (for a workspace with ?workspaceId=) and which providers are ready", query: { workspaceId: "a workspace you belong to" } },
    async (context) => {
      const workspaceId = context.req.query("workspaceId") || null;
      if (workspaceId) await access.requireWorkspace(userId(context), workspaceId, "viewer");
      return context.json({ workspaceId, default: await settings.effectiveDefault(workspaceId), providers: await settings.providers() });
    },
  );
}

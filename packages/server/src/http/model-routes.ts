import { AdminModelsBody, WorkspaceModelBody } from "../models/model-settings.ts";
import { ApiError } from "@cocanvas/protocol";
import { z } from "zod";
import type { ProviderStatus } from "../models/model-settings.ts";
import { runModelTrial } from "../models/model-trial.ts";
import { maxSpecLength } from "../models/model-spec.ts";
import type { Services } from "../services.ts";
import type { ApiRouter } from "./api-router.ts";

/**
 * Model choice: the admin's default and provider credentials (keys are write-only), each
 * workspace's default, and what any signed-in user may know (the effective default and
 * which providers are ready — never a key or an address).
 */
export function addModelRoutes(api: ApiRouter, services: Services) {
  const { access, storage, modelSettings: settings, models, logger } = services;
  const userId = (context: { get(key: "user"): { id: string } | null }) => context.get("user")!.id;

  /**
   * Whether requests that name no model can run now: the default resolves to a model and
   * its provider is ready. `problem` says what is missing in plain words, with no address.
   */
  async function readiness(workspaceId: string | null, providers: ProviderStatus[]): Promise<{ ready: boolean; problem?: string }> {
    let resolved;
    try {
      resolved = await models.resolve({ workspaceId });
    } catch {
      const chosen = await settings.effectiveDefault(workspaceId);
      return { ready: false, problem: chosen ? `The default model ${chosen.spec.slice(0, 200)} cannot be used on this server.` : "No AI model is set up on this server yet." };
    }
    const status = providers.find((provider) => provider.name === resolved.provider);
    if (status && !status.available) return { ready: false, problem: `The default model ${resolved.spec} cannot be used: ${resolved.provider} is not ready.` };
    return { ready: true };
  }

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

  api.add(
    "post",
    "/api/admin/models/test",
    { summary: "Run one short completion with a model (`provider:model`; default: the server's) and answer the reply and its speed", auth: "admin", body: ModelTrialBody },
    async (context, body) => {
      const resolved = await models.resolve({ override: body.model ?? null });
      try {
        const trial = await runModelTrial(resolved.model, { prompt: trialPrompt, maxOutputTokens: 48, signal: AbortSignal.timeout(trialTimeoutMs) });
        return context.json({ model: resolved.spec, ...trial });
      } catch (error) {
        logger.info({ model: resolved.spec, by: userId(context), err: error }, "model test failed");
        throw new ApiError("model_unavailable", `${resolved.spec} did not answer: ${trialProblem(error)}`);
      }
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
      const providers = await settings.providers();
      const { ready, problem } = await readiness(workspaceId, providers);
      const isAdmin = context.get("user")!.isAdmin;
      // Who can set a model up, by name only, for the people who cannot.
      const admins = ready ? [] : (await storage.listUsers()).filter((user) => user.isAdmin && !user.disabledAt).map((user) => user.name || "an admin");
      return context.json({ workspaceId, default: await settings.effectiveDefault(workspaceId), providers, ready, ...(problem ? { problem } : {}), canSetUp: isAdmin, admins });
    },
  );
}

const ModelTrialBody = z.strictObject({ model: z.string().trim().min(3).max(maxSpecLength).nullable().optional() });
const trialPrompt = "Reply with one short friendly sentence saying you are ready to help.";
const trialTimeoutMs = 60_000;

/**
 * What went wrong in a model test, in words safe to show: the HTTP status a provider
 * answered, or that it did not answer — never the address, the key or a stack.
 */
function trialProblem(error: unknown): string {
  const failure = error as { name?: string; statusCode?: number; message?: string; cause?: { name?: string } };
  if (typeof failure?.statusCode === "number") return `the provider answered HTTP ${failure.statusCode}${failure.statusCode === 401 || failure.statusCode === 403 ? " (is the key right?)" : failure.statusCode === 404 ? " (is the model name right?)" : ""}.`;
  if (failure?.name === "TimeoutError" || failure?.cause?.name === "TimeoutError") return `no answer within ${trialTimeoutMs / 1000} s.`;
  if (failure?.message?.startsWith("it answered no text")) return `${failure.message}.`;
  return "the provider could not be reached or its answer could not be read.";
}

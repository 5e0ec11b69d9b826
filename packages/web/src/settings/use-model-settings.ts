import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

export type KeySource = "admin" | "env" | null;
export interface ChosenModel {
  spec: string;
  source: "request" | "workspace" | "admin" | "env" | "pulled";
}

/** `GET /api/admin/models`: keys are never sent, only whether each is set and where from. */
export interface ModelSettings {
  defaultModel: string | null;
  envModel: string | null;
  effective: ChosenModel | null;
  /** `withheld`: configured for another address than the one in effect, so not sent until entered again; `problem`: a saved key the server cannot decrypt (its key file is missing or another one). */
  keys: Record<string, { set: boolean; source: KeySource; variable: string; withheld: boolean; problem?: string }>;
  baseUrls: Record<string, { value: string | null; source: "admin" | "env" | "default" | null; variable: string }>;
}

/** `PUT /api/admin/models`: only the fields sent change; null clears (the environment's value applies again). */
export interface ModelSettingsChange {
  defaultModel?: string | null;
  keys?: Record<string, string | null>;
  baseUrls?: Record<string, string | null>;
}

/** The server's default model and provider settings, for admins (`enabled` false skips the request). */
export function useModelSettings(enabled: boolean) {
  const resource = useResource(enabled ? "admin-models" : null, () => api.get<ModelSettings>("/api/admin/models"));

  async function change(body: ModelSettingsChange): Promise<void> {
    await api.put("/api/admin/models", body);
    await resource.reload();
  }

  return { settings: resource.data, error: resource.error, change };
}

/** Where a default model comes from, in words. */
export const sourceLabel: Record<ChosenModel["source"], string> = {
  request: "chosen for this request",
  workspace: "this workspace's default",
  admin: "server default (set here)",
  env: "server default (COCANVAS_MODEL)",
  pulled: "the pulled local model",
};

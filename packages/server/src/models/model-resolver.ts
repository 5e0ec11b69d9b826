import type { LanguageModelV3 } from "@ai-sdk/provider";

/** A usable model, with the names it goes by in provenance records. */
export interface ResolvedModel {
  /** `provider:model` as configured, e.g. `openai:gpt-4.1-mini` or `local:/data/models/x.gguf`. */
  spec: string;
  provider: string;
  modelId: string;
  model: LanguageModelV3;
}

/**
 * Turns configuration into a model. Precedence: the request's override, then the
 * workspace's default, then the admin's default, then `COCANVAS_MODEL`, then a pulled
 * local model. Throws an ApiError (`model_unavailable`) naming what is missing.
 */
export interface ModelResolver {
  resolve(request: { override?: string | null; workspaceId?: string | null }): Promise<ResolvedModel>;
}

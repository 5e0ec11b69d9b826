import fs from "node:fs";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { ApiError } from "@cocanvas/protocol";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Storage } from "../storage/storage.ts";
import { LocalEngine, type LocalEngineOptions } from "./local-engine.ts";
import type { ModelResolver, ResolvedModel } from "./model-resolver.ts";
import { missingSetting, ModelSettings, withheldKey, type ChosenModel, type KeyProvider } from "./model-settings.ts";
import { parseModelSpec, type ModelSpec } from "./model-spec.ts";

export interface ModelRegistryOptions {
  config: Config;
  storage: Storage;
  logger?: Logger;
  /** Settings to read (default: a new ModelSettings over `storage` and `config`). */
  settings?: ModelSettings;
  /** The embedded engine (default: one with threads and context size from `config`). */
  engine?: LocalEngine;
  engineOptions?: LocalEngineOptions;
  /** For tests: the fetch the HTTP providers use. */
  fetch?: typeof fetch;
}

/**
 * The server's one way to get a model. `resolve` picks the spec — the request's override,
 * else the workspace's default, else the admin's, else `COCANVAS_MODEL`, else the pulled
 * default local model — and builds an AI SDK model for it:
 *
 * - `openai:<model>` — OpenAI's chat-completions API (`OPENAI_API_KEY`, `OPENAI_BASE_URL`),
 * - `anthropic:<model>` — Anthropic's messages API (`ANTHROPIC_API_KEY`),
 * - `openai-compatible:<model>` — any chat-completions server (`COCANVAS_OPENAI_COMPATIBLE_BASE_URL`),
 * - `ollama:<model>` — Ollama through its OpenAI-compatible API (`OLLAMA_BASE_URL`),
 * - `local:<name or path>` — a GGUF file in the embedded engine.
 *
 * What is missing is an ApiError `model_unavailable` (503) naming it; a malformed spec is
 * `invalid_request` (400).
 */
export class ModelRegistry implements ModelResolver {
  readonly settings: ModelSettings;
  readonly engine: LocalEngine;
  private readonly logger?: Logger;
  private readonly fetch?: typeof fetch;

  constructor(options: ModelRegistryOptions) {
    this.settings = options.settings ?? new ModelSettings(options.storage, options.config);
    this.engine =
      options.engine ??
      new LocalEngine({
        threads: options.config.localThreads,
        contextSize: options.config.localContextSize,
        logger: options.logger,
        ...options.engineOptions,
      });
    this.logger = options.logger;
    this.fetch = options.fetch;
  }

  async resolve(request: { override?: string | null; workspaceId?: string | null }): Promise<ResolvedModel> {
    const chosen: ChosenModel | null = request.override?.trim() ? { spec: request.override, source: "request" } : await this.settings.effectiveDefault(request.workspaceId);
    if (!chosen) {
      throw new ApiError(
        "model_unavailable",
        "no model is configured: set COCANVAS_MODEL=provider:model (e.g. openai:gpt-4.1-mini or ollama:qwen2.5), choose one in Settings → Models, or run `cocanvas models pull`.",
      );
    }
    const spec = parseModelSpec(chosen.spec, chosen.source === "request" ? "model" : `${chosen.source} default model`);
    const model = await this.build(spec);
    this.logger?.debug({ model: spec.spec, source: chosen.source }, "model resolved");
    return { spec: spec.spec, provider: spec.provider, modelId: spec.modelId, model };
  }

  /** A provider's key for sending (see ModelSettings.keyFor); a saved key that cannot be decrypted is an error that says why. */
  private async readableKey(provider: KeyProvider): Promise<{ key: string | null; withheld: boolean }> {
    const { key, withheld, problem } = await this.settings.keyFor(provider);
    if (problem) throw new ApiError("model_unavailable", problem);
    return { key, withheld };
  }

  private async build({ provider, modelId, spec }: ModelSpec): Promise<LanguageModelV3> {
    const fetch = this.fetch;
    switch (provider) {
      case "openai": {
        const { key: apiKey, withheld } = await this.readableKey("openai");
        if (!apiKey) throw (withheld ? withheldKey : missingSetting)("OPENAI_API_KEY", spec);
        // Chat completions, not the Responses API: it is what proxies and gateways speak too.
        return createOpenAI({ apiKey, baseURL: (await this.settings.baseUrl("openai")) ?? undefined, fetch }).chat(modelId);
      }
      case "anthropic": {
        const { key: apiKey, withheld } = await this.readableKey("anthropic");
        if (!apiKey) throw (withheld ? withheldKey : missingSetting)("ANTHROPIC_API_KEY", spec);
        return createAnthropic({ apiKey, baseURL: (await this.settings.baseUrl("anthropic")) ?? undefined, fetch }).languageModel(modelId);
      }
      case "openai-compatible": {
        const baseURL = await this.settings.baseUrl("openai-compatible");
        if (!baseURL) throw missingSetting("COCANVAS_OPENAI_COMPATIBLE_BASE_URL", spec);
        const { key, withheld } = await this.readableKey("openai-compatible");
        // A key that belongs to another address is never sent; a server that needs one answers 401.
        if (withheld) throw withheldKey("COCANVAS_OPENAI_COMPATIBLE_API_KEY", spec);
        const apiKey = key ?? undefined;
        return createOpenAICompatible({ name: "openai-compatible", baseURL, apiKey, includeUsage: true, fetch }).chatModel(modelId);
      }
      case "ollama": {
        const baseURL = await this.settings.baseUrl("ollama");
        if (!baseURL) throw missingSetting("OLLAMA_BASE_URL", spec);
        return createOpenAICompatible({ name: "ollama", baseURL, includeUsage: true, supportsStructuredOutputs: true, fetch }).chatModel(modelId);
      }
      case "local": {
        const { file, entry } = this.settings.localModelFile(modelId);
        if (!fs.existsSync(file)) {
          throw new ApiError(
            "model_unavailable",
            entry
              ? `the local model ${entry.name} is not pulled: run \`cocanvas models pull ${entry.name}\` (${file} does not exist).`
              : `the local model file ${file} does not exist.`,
          );
        }
        return this.engine.languageModel(file, modelId);
      }
    }
  }

  /** Unloads local models. */
  close(): Promise<void> {
    return this.engine.close();
  }
}

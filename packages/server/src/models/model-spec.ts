import { ApiError } from "@cocanvas/protocol";

/** Every provider a model spec may name, in the order the settings page lists them. */
export const providerNames = ["openai", "anthropic", "openai-compatible", "ollama", "local"] as const;
export type ProviderName = (typeof providerNames)[number];

/** A parsed `provider:model`. */
export interface ModelSpec {
  provider: ProviderName;
  /** Everything after the first colon: `gpt-4.1-mini`, `qwen2.5:0.5b`, `/models/x.gguf`. */
  modelId: string;
  /** The normalised text, `provider:modelId`. */
  spec: string;
}

export const maxSpecLength = 1000;

/**
 * Parses `provider:model`. The provider is everything before the first colon, so model
 * names may contain colons (`ollama:qwen2.5:0.5b`). Malformed text and unknown providers
 * are `invalid_request` errors (400) that say what was expected.
 * @example parseModelSpec("openai:gpt-4.1-mini") // { provider: "openai", modelId: "gpt-4.1-mini", ... }
 */
export function parseModelSpec(text: string, where = "model"): ModelSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  if (trimmed.length > maxSpecLength) throw new ApiError("invalid_request", `The ${where} is longer than ${maxSpecLength} characters.`);
  // eslint-disable-next-line no-control-regex
  if (colon <= 0 || colon === trimmed.length - 1 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new ApiError("invalid_request", `The ${where} '${trimmed.slice(0, 100)}' is not provider:model (e.g. openai:gpt-4.1-mini or local:/path/model.gguf).`);
  }
  const provider = trimmed.slice(0, colon).toLowerCase();
  if (!(providerNames as readonly string[]).includes(provider)) {
    throw new ApiError("invalid_request", `unknown provider '${provider.slice(0, 50)}'; known: ${providerNames.join(", ")}.`);
  }
  const modelId = trimmed.slice(colon + 1).trim();
  return { provider: provider as ProviderName, modelId, spec: `${provider}:${modelId}` };
}

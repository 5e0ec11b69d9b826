import fs from "node:fs";
import path from "node:path";
import { ApiError } from "@cocanvas/protocol";
import { z } from "zod";
import { ConfigError, settings as configSettings, type Config } from "../config.ts";
import { SecretBox, SecretUnreadableError } from "../storage/secret-box.ts";
import type { Storage } from "../storage/storage.ts";
import { defaultLocalModel, isAllowedLocalModel, listPulledModels, localModelPath, modelsDir, type CatalogueEntry, type LocalModelPlaces } from "./catalogue.ts";
import { maxSpecLength, parseModelSpec, providerNames, type ModelSpec, type ProviderName } from "./model-spec.ts";

/** Providers that take an API key, and the variable it comes from. */
export const keyProviders = {
  openai: configSettings.openaiApiKey.env,
  anthropic: configSettings.anthropicApiKey.env,
  "openai-compatible": configSettings.openaiCompatibleApiKey.env,
} as const;
export type KeyProvider = keyof typeof keyProviders;

/** Providers whose address can be changed, and the variable it comes from. */
export const urlProviders = {
  openai: configSettings.openaiBaseUrl.env,
  anthropic: configSettings.anthropicBaseUrl.env,
  "openai-compatible": configSettings.openaiCompatibleBaseUrl.env,
  ollama: configSettings.ollamaBaseUrl.env,
} as const;
export type UrlProvider = keyof typeof urlProviders;

const configKey: Record<KeyProvider, keyof Config> = { openai: "openaiApiKey", anthropic: "anthropicApiKey", "openai-compatible": "openaiCompatibleApiKey" };
const configUrl: Record<UrlProvider, keyof Config> = {
  openai: "openaiBaseUrl",
  anthropic: "anthropicBaseUrl",
  "openai-compatible": "openaiCompatibleBaseUrl",
  ollama: "ollamaBaseUrl",
};

/** Where the effective default model comes from, in precedence order (after a per-request override). */
export type ModelSource = "request" | "workspace" | "admin" | "env" | "pulled";
export interface ChosenModel {
  spec: string;
  source: ModelSource;
}

const settingKeys = {
  defaultModel: "models.default",
  key: (provider: KeyProvider) => `models.${provider}.apiKey`,
  /** The address an admin's key was entered for: it is sent nowhere else (decision 0016). */
  keyAddress: (provider: KeyProvider) => `models.${provider}.apiKeyAddress`,
  url: (provider: UrlProvider) => `models.${provider}.baseUrl`,
};

const specText = z.string().trim().min(3).max(maxSpecLength);
const keyText = z.string().trim().min(1).max(1000).regex(/^\S+$/, "API keys have no spaces");
const urlText = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), "Enter an http(s) URL such as http://127.0.0.1:11434/v1");

/** `PUT /api/admin/models`: every field optional; null clears (the environment's value applies again). */
export const AdminModelsBody = z.strictObject({
  defaultModel: specText.nullable().optional(),
  keys: z.strictObject(Object.fromEntries(Object.keys(keyProviders).map((name) => [name, keyText.nullable().optional()])) as Record<KeyProvider, z.ZodOptional<z.ZodNullable<typeof keyText>>>).optional(),
  baseUrls: z.strictObject(Object.fromEntries(Object.keys(urlProviders).map((name) => [name, urlText.nullable().optional()])) as Record<UrlProvider, z.ZodOptional<z.ZodNullable<typeof urlText>>>).optional(),
});
export type AdminModelsBody = z.infer<typeof AdminModelsBody>;

/** `PUT /api/workspaces/{id}/model`. */
export const WorkspaceModelBody = z.strictObject({ model: specText.nullable() });

/** What admins see: never a key, only whether one is set and where it comes from. */
export interface AdminModelSettings {
  defaultModel: string | null;
  envModel: string | null;
  effective: ChosenModel | null;
  /** `withheld`: a key is set but was configured for another address than the one in effect, so it is not sent until entered again; `problem`: a key set in the app that cannot be decrypted (the data folder's key file is missing or another one). */
  keys: Record<KeyProvider, { set: boolean; source: "admin" | "env" | null; variable: string; withheld: boolean; problem?: string }>;
  baseUrls: Record<UrlProvider, { value: string | null; source: "admin" | "env" | "default" | null; variable: string }>;
}

export interface ProviderStatus {
  name: ProviderName;
  /** Whether a model of this provider can be used as configured (for ollama and openai-compatible: its address answers `GET <address>/models`). */
  available: boolean;
  /** What is missing when not available. */
  missing?: string;
  /** For `local`: the pulled models (with their size); for ollama and openai-compatible: the models the server reports. */
  models?: { spec: string; size?: number }[];
}

/**
 * The model choices and provider credentials: admin settings (the settings table) over
 * the environment (config.ts). Keys stay on the server; everything this class returns
 * for display leaves them out. Keys set in the app are stored encrypted (SecretBox, a key
 * file in the data folder).
 */
export class ModelSettings {
  readonly modelsDir: string;
  private readonly envModel: string | null;
  /** Where `local:` models may come from: the models folder, the admin's extra folders, the operator's own file. */
  readonly localPlaces: LocalModelPlaces;
  private readonly secrets: SecretBox;

  constructor(
    private readonly storage: Storage,
    private readonly config: Config,
  ) {
    this.modelsDir = modelsDir(config.dataDir);
    this.secrets = new SecretBox(config.dataDir);
    this.envModel = config.model.trim() || null;
    const extraFolders = config.localModelDirs
      .split(path.delimiter)
      .map((folder) => folder.trim())
      .filter(Boolean)
      .map((folder) => path.resolve(folder));
    this.localPlaces = { folders: [this.modelsDir, ...extraFolders], files: [] };
    if (this.envModel) {
      try {
        const spec = parseModelSpec(this.envModel);
        // The operator's own choice may name any file: it is how a GGUF outside the data folder is used.
        if (spec.provider === "local") this.localPlaces.files.push(localModelPath(spec.modelId, this.modelsDir).file);
      } catch (error) {
        throw new ConfigError(`${configSettings.model.env}=${JSON.stringify(this.envModel)} is not valid: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Parses a model spec that a person chose (request, workspace, agent or admin default):
   * a `local:` model must be a catalogue name or a `.gguf` file in an allowed folder
   * (decision 0016); anything else is `invalid_request`, decided without touching the file.
   */
  parseChoice(text: string, where = "model"): ModelSpec {
    const spec = parseModelSpec(text, where);
    if (spec.provider === "local") this.localModelFile(spec.modelId, where);
    return spec;
  }

  /** The file of a `local:` model id, if it may be used; else an `invalid_request` error that names only what was asked. */
  localModelFile(modelId: string, where = "model"): { file: string; entry?: CatalogueEntry } {
    const found = localModelPath(modelId, this.modelsDir);
    if (!isAllowedLocalModel(found.file, this.localPlaces)) {
      throw new ApiError(
        "invalid_request",
        `The ${where} 'local:${modelId.slice(0, 200)}' is not allowed: local models are pulled names or .gguf files in the models folder${this.localPlaces.folders.length > 1 ? " or a folder in " + configSettings.localModelDirs.env : ""}.`,
      );
    }
    return found;
  }

  private async setting(key: string): Promise<string | null> {
    return (await this.storage.getSetting(key))?.trim() || null;
  }

  /**
   * The key for a provider (admin setting first, then the environment), or null — also when
   * it is withheld. Server-side use only. A stored key that cannot be decrypted is a
   * `model_unavailable` error that says why.
   */
  async apiKey(provider: KeyProvider): Promise<string | null> {
    const { key, problem } = await this.keyFor(provider);
    if (problem) throw new ApiError("model_unavailable", problem);
    return key;
  }

  /**
   * A provider's key, sent only to the address it was configured with (decision 0016): an
   * admin's key to the address in effect when it was entered, the environment's key to the
   * environment's address. When the address has changed since, the key is `withheld` until
   * an admin enters it again, so changing an address can never send a key elsewhere.
   */
  async keyFor(provider: KeyProvider): Promise<{ key: string | null; withheld: boolean; problem?: string }> {
    const current = (await this.baseUrl(provider)) ?? "";
    const stored = await this.storedKey(provider);
    const adminKey = stored.key;
    if (stored.problem) return { key: null, withheld: false, problem: stored.problem };
    if (adminKey) {
      let boundTo = await this.storage.getSetting(settingKeys.keyAddress(provider));
      if (boundTo === null) {
        // A key stored before keys were bound to addresses: bind it to the address in effect now.
        boundTo = current;
        await this.storage.setSetting(settingKeys.keyAddress(provider), current);
      }
      if (boundTo.trim() === current) return { key: adminKey, withheld: false };
    }
    const envKey = (this.config[configKey[provider]] as string).trim() || null;
    const envAddress = (this.config[configUrl[provider]] as string).trim();
    if (envKey && envAddress === current) return { key: envKey, withheld: false };
    return { key: null, withheld: Boolean(adminKey || envKey) };
  }
  /** The admin's key for a provider, decrypted (a plaintext one from before encryption is read as is). */
  private async storedKey(provider: KeyProvider): Promise<{ key: string | null; problem?: string }> {
    const value = await this.setting(settingKeys.key(provider));
    if (!value || !SecretBox.isSealed(value)) return { key: value };
    try {
      return { key: this.secrets.open(value, settingKeys.key(provider)) };
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      return {
        key: null,
        problem: `The ${provider} API key saved in Settings → Models cannot be decrypted: ${error.message} (a database restored without its key file?). Copy secret.key back from the old data folder, or set the key again.`,
      };
    }
  }

  /** Encrypts provider keys stored in plaintext (saved before keys were encrypted); returns how many. */
  async sealStoredKeys(): Promise<number> {
    let sealed = 0;
    for (const provider of Object.keys(keyProviders) as KeyProvider[]) {
      const value = await this.setting(settingKeys.key(provider));
      if (!value || SecretBox.isSealed(value)) continue;
      await this.storage.setSetting(settingKeys.key(provider), this.secrets.seal(value, settingKeys.key(provider)));
      sealed++;
    }
    return sealed;
  }

  /** The address for a provider (admin setting, then the environment, then the default), or null. */
  async baseUrl(provider: UrlProvider): Promise<string | null> {
    return (await this.setting(settingKeys.url(provider))) ?? ((this.config[configUrl[provider]] as string).trim() || null);
  }

  /**
   * The default model when a request names none: the workspace's, else the admin's, else
   * `COCANVAS_MODEL`, else the default local model if it has been pulled; null if none.
   */
  async effectiveDefault(workspaceId?: string | null): Promise<ChosenModel | null> {
    const workspace = workspaceId ? await this.storage.getWorkspaceModel(workspaceId) : null;
    if (workspace) return { spec: workspace, source: "workspace" };
    const admin = await this.setting(settingKeys.defaultModel);
    if (admin) return { spec: admin, source: "admin" };
    if (this.envModel) return { spec: this.envModel, source: "env" };
    if (fs.existsSync(localModelPath(defaultLocalModel.name, this.modelsDir).file)) return { spec: `local:${defaultLocalModel.name}`, source: "pulled" };
    return null;
  }

  async adminView(): Promise<AdminModelSettings> {
    const keys = {} as AdminModelSettings["keys"];
    for (const provider of Object.keys(keyProviders) as KeyProvider[]) {
      const admin = await this.setting(settingKeys.key(provider));
      const env = (this.config[configKey[provider]] as string).trim();
      const { withheld, problem } = await this.keyFor(provider);
      keys[provider] = { set: Boolean(admin || env), source: admin ? "admin" : env ? "env" : null, variable: keyProviders[provider], withheld, ...(problem ? { problem } : {}) };
    }
    const baseUrls = {} as AdminModelSettings["baseUrls"];
    for (const provider of Object.keys(urlProviders) as UrlProvider[]) {
      const admin = await this.setting(settingKeys.url(provider));
      const env = (this.config[configUrl[provider]] as string).trim();
      const isDefault = env === String(configSettings[configUrl[provider]].default);
      baseUrls[provider] = { value: admin ?? (env || null), source: admin ? "admin" : env ? (isDefault ? "default" : "env") : null, variable: urlProviders[provider] };
    }
    return { defaultModel: await this.setting(settingKeys.defaultModel), envModel: this.envModel, effective: await this.effectiveDefault(null), keys, baseUrls };
  }

  /** Applies an admin change; returns the names of what changed (never values), for the log. */
  async update(body: AdminModelsBody): Promise<string[]> {
    const changed: string[] = [];
    if (body.defaultModel !== undefined) {
      const spec = body.defaultModel === null ? "" : this.parseChoice(body.defaultModel, "default model").spec;
      await this.storage.setSetting(settingKeys.defaultModel, spec);
      changed.push("default model");
    }
    // Addresses first: a key entered in the same change belongs to the new address.
    for (const [provider, value] of Object.entries(body.baseUrls ?? {}) as [UrlProvider, string | null | undefined][]) {
      if (value === undefined) continue;
      await this.storage.setSetting(settingKeys.url(provider), value ?? "");
      changed.push(`${provider} address`);
    }
    for (const [provider, value] of Object.entries(body.keys ?? {}) as [KeyProvider, string | null | undefined][]) {
      if (value === undefined) continue;
      await this.storage.setSetting(settingKeys.keyAddress(provider), (await this.baseUrl(provider)) ?? "");
      await this.storage.setSetting(settingKeys.key(provider), value ? this.secrets.seal(value, settingKeys.key(provider)) : "");
      changed.push(`${provider} key`);
    }
    return changed;
  }

  /** Validates and stores a workspace's default model (null clears it). */
  async setWorkspaceModel(workspaceId: string, spec: string | null): Promise<string | null> {
    const normalised = spec === null ? null : this.parseChoice(spec).spec;
    await this.storage.setWorkspaceModel(workspaceId, normalised);
    return normalised;
  }

  /** Which providers can be used as configured (asking ollama and openai-compatible servers), and their models. No secrets. */
  async providers(): Promise<ProviderStatus[]> {
    // Each in parallel: an address that does not answer costs its timeout once, not per provider.
    return Promise.all(providerNames.map((name) => this.providerStatus(name)));
  }

  private async providerStatus(name: ProviderName): Promise<ProviderStatus> {
    if (name === "local") {
      const models = listPulledModels(this.modelsDir).map((model) => ({ spec: model.spec, size: model.size }));
      return { name, available: true, models, ...(models.length ? {} : { missing: "no pulled model: run `cocanvas models pull`, or name a file as local:/path/model.gguf" }) };
    }
    if (name === "ollama" || name === "openai-compatible") {
      const url = await this.baseUrl(name);
      if (!url) return { name, available: false, missing: urlProviders[name] };
      // The key goes only where keyFor allows (its own address); a withheld or unreadable one is not sent.
      const key = name === "openai-compatible" ? (await this.keyFor(name)).key : null;
      const answer = await probeModels(url, key, name);
      return { name, available: answer.ok, ...(answer.ok ? { models: answer.models } : { missing: `a server answering at the ${urlProviders[name]} address (${answer.problem})` }) };
    }
    const { key, withheld, problem } = await this.keyFor(name);
    return { name, available: Boolean(key), ...(key ? {} : { missing: problem ? "a readable API key (see Settings → Models)" : withheld ? `${keyProviders[name]} (entered for another address: enter it again)` : keyProviders[name] }) };
  }
}

/** The `model_unavailable` error for a key that exists but belongs to another address. */
export function withheldKey(variable: string, spec: string): ApiError {
  return new ApiError(
    "model_unavailable",
    `the ${variable} key was configured for another address than the one now set, so it is not sent there: enter the key again in Settings → Models (needed for ${spec}).`,
  );
}

/** Throws the `model_unavailable` error for a missing setting, naming it. */
export function missingSetting(variable: string, spec: string): ApiError {
  return new ApiError("model_unavailable", `${variable} is not set: set it in the environment or in Settings → Models (needed for ${spec}).`);
}

/** How long a provider's address may take to answer `GET /models` before it counts as not answering. */
export const probeTimeoutMs = 2000;

/**
 * Asks an OpenAI-compatible server (Ollama included) for its models: `GET <base>/models`,
 * with the key when there is one for that address. Answers whether it answered and the
 * models it reported; the problem names only what happened, never the address or the key.
 */
async function probeModels(
  baseUrl: string,
  apiKey: string | null,
  provider: ProviderName,
): Promise<{ ok: true; models: { spec: string }[] } | { ok: false; problem: string }> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, "")}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(probeTimeoutMs),
      redirect: "manual",
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, problem: `it answered HTTP ${response.status}` };
    }
    const body = (await response.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
    const ids = Array.isArray(body?.data) ? body.data.map((entry) => entry?.id).filter((id): id is string => typeof id === "string" && id.length > 0 && id.length <= 200) : [];
    return { ok: true, models: ids.slice(0, 200).map((id) => ({ spec: `${provider}:${id}` })) };
  } catch (error) {
    const name = (error as Error).name;
    return { ok: false, problem: name === "TimeoutError" ? `no answer within ${probeTimeoutMs / 1000} s` : "it does not answer" };
  }
}

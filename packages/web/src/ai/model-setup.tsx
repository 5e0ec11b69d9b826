import { useState, type FormEvent } from "react";
import { api } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction, useResource } from "../ui/use-resource.ts";

/** `GET /api/models?workspaceId=`: whether requests that name no model can run, and who can set one up. */
export interface ModelStatus {
  default: { spec: string; source: string } | null;
  providers: { name: string; available: boolean; missing?: string; models?: { spec: string }[] }[];
  ready: boolean;
  problem?: string;
  canSetUp: boolean;
  /** The admins' names, when no model is ready. */
  admins: string[];
}

/** What the admin's Test answered: `POST /api/admin/models/test`. */
interface TrialResult {
  model: string;
  text: string;
  tokensPerSecond: number | null;
  firstTokenMs: number;
}

type SetupProvider = "openai" | "anthropic" | "openai-compatible" | "ollama";
const setupProviders: { name: SetupProvider; label: string; key: "required" | "optional" | null; address: "required" | "optional"; example: string; addressExample: string }[] = [
  { name: "openai-compatible", label: "OpenAI-compatible server", key: "optional", address: "required", example: "llama3.1", addressExample: "http://127.0.0.1:8000/v1" },
  { name: "ollama", label: "Ollama", key: null, address: "required", example: "qwen2.5:0.5b", addressExample: "http://127.0.0.1:11434/v1" },
  { name: "openai", label: "OpenAI", key: "required", address: "optional", example: "gpt-4.1-mini", addressExample: "https://api.openai.com/v1" },
  { name: "anthropic", label: "Anthropic", key: "required", address: "optional", example: "claude-sonnet-4-5", addressExample: "https://api.anthropic.com/v1" },
];

/** Whether this workspace's AI can run, read when the panel opens (and after a set-up). */
export function useModelStatus(workspaceId: string | undefined) {
  return useResource(`model-status:${workspaceId ?? ""}`, () => api.get<ModelStatus>(`/api/models${workspaceId ? `?workspaceId=${encodeURIComponent(workspaceId)}` : ""}`));
}

/**
 * Shown in the AI panel before anyone types when no model can be used: admins get a
 * set-up card (provider, address, key, model, Test, Use), everyone else is told whom to ask.
 */
export function ModelNotice({ status, onChanged }: { status: ModelStatus; onChanged(): void }) {
  if (status.ready) return null;
  const admins = status.admins.length ? status.admins.join(", ") : "an admin";
  return (
    <section className="model-notice" data-testid="model-notice" aria-label="AI model">
      <p>
        <strong>{status.problem ?? "No AI model is set up on this server yet."}</strong>
      </p>
      {status.canSetUp ? (
        <ModelSetupCard status={status} onChanged={onChanged} />
      ) : (
        <p data-testid="model-ask-admin">
          The AI cannot answer until a model is set up. Ask an admin ({admins}) to set one up.
        </p>
      )}
    </section>
  );
}

function ModelSetupCard({ status, onChanged }: { status: ModelStatus; onChanged(): void }) {
  const [providerName, setProviderName] = useState<SetupProvider>("openai-compatible");
  const [address, setAddress] = useState("");
  const [key, setKey] = useState("");
  const [modelName, setModelName] = useState("");
  const [trial, setTrial] = useState<TrialResult | null>(null);
  const [offered, setOffered] = useState<string[]>([]);
  const action = useAction();
  const provider = setupProviders.find((entry) => entry.name === providerName)!;
  const reported = offered.length ? offered : (status.providers.find((entry) => entry.name === providerName)?.models ?? []).map((model) => model.spec.slice(providerName.length + 1));

  /** Saves what was entered (the key is write-only), then reads the models the provider reports. */
  async function save() {
    const body: { baseUrls?: Record<string, string>; keys?: Record<string, string> } = {};
    if (address.trim()) body.baseUrls = { [providerName]: address.trim() };
    if (key.trim() && provider.key) body.keys = { [providerName]: key.trim() };
    if (body.baseUrls || body.keys) await api.put("/api/admin/models", body);
    const fresh = await api.get<ModelStatus>("/api/models");
    const models = (fresh.providers.find((entry) => entry.name === providerName)?.models ?? []).map((model) => model.spec.slice(providerName.length + 1));
    setOffered(models);
    return models;
  }

  async function test(event: FormEvent) {
    event.preventDefault();
    setTrial(null);
    await action.run(async () => {
      const models = await save();
      const chosen = modelName.trim() || models[0];
      if (!chosen) throw new Error("Enter the model's name (the server reported none).");
      if (!modelName.trim()) setModelName(chosen);
      setTrial(await api.post<TrialResult>("/api/admin/models/test", { model: `${providerName}:${chosen}` }));
    });
  }

  async function use() {
    if (!trial) return;
    await action.run(async () => {
      await api.put("/api/admin/models", { defaultModel: trial.model });
      onChanged();
    });
  }

  return (
    <form className="model-setup-card" onSubmit={test} data-testid="model-setup-card">
      <p className="small">You are an admin: connect a model for everyone on this server.</p>
      <ErrorBanner message={action.error} />
      <label className="small">
        Provider{" "}
        <select
          value={providerName}
          onChange={(event) => {
            setProviderName(event.target.value as SetupProvider);
            setTrial(null);
            setOffered([]);
          }}
          data-testid="model-setup-provider"
        >
          {setupProviders.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.label}
            </option>
          ))}
        </select>
      </label>
      <label className="small">
        Address{provider.address === "optional" ? " (optional)" : ""}
        <input value={address} onChange={(event) => setAddress(event.target.value)} placeholder={provider.addressExample} data-testid="model-setup-address" />
      </label>
      {provider.key && (
        <label className="small">
          API key{provider.key === "optional" ? " (if the server needs one)" : ""}
          <input type="password" autoComplete="off" value={key} onChange={(event) => setKey(event.target.value)} data-testid="model-setup-key" />
        </label>
      )}
      <label className="small">
        Model
        <input value={modelName} onChange={(event) => setModelName(event.target.value)} placeholder={reported[0] ?? provider.example} list="model-setup-offered" data-testid="model-setup-model" />
        <datalist id="model-setup-offered">
          {reported.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <div className="ai-composer-row">
        <button type="submit" disabled={action.busy} data-testid="model-setup-test">
          {action.busy ? "Testing…" : "Test"}
        </button>
        {trial && (
          <button type="button" className="primary" onClick={() => void use()} disabled={action.busy} data-testid="model-setup-use">
            Use {trial.model} for everyone
          </button>
        )}
      </div>
      {trial && (
        <div className="model-setup-trial" data-testid="model-setup-trial">
          <div className="ai-message-text" data-testid="model-setup-reply">
            {trial.text}
          </div>
          <div className="muted small" data-testid="model-setup-speed">
            {trial.tokensPerSecond === null ? "speed not reported" : `${trial.tokensPerSecond} tokens/s`}, first words after {(trial.firstTokenMs / 1000).toFixed(2)} s
          </div>
        </div>
      )}
    </form>
  );
}

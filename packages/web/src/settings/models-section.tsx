import { useState, type FormEvent } from "react";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction } from "../ui/use-resource.ts";
import { sourceLabel, useModelSettings, type ModelSettings } from "./use-model-settings.ts";

const providerLabel: Record<string, string> = { openai: "OpenAI", anthropic: "Anthropic", "openai-compatible": "OpenAI-compatible server", ollama: "Ollama" };

/**
 * Admins choose the server's default model and set provider keys and addresses. Keys are
 * write-only: the page only ever learns whether one is set.
 */
export function ModelsSection() {
  const models = useModelSettings(true);
  const action = useAction();
  const settings = models.settings;

  return (
    <section className="card" data-testid="models-settings">
      <h2>Models</h2>
      <p className="muted small">
        Written as <code>provider:model</code>, e.g. <code>openai:gpt-4.1-mini</code>, <code>anthropic:claude-sonnet-4-5</code>, <code>ollama:qwen2.5</code> or{" "}
        <code>local:qwen2.5-0.5b-instruct</code> (after <code>cocanvas models pull</code>). A workspace's own default wins over this one.
      </p>
      {settings && (
        <>
          <DefaultModelForm settings={settings} busy={action.busy} onSave={(defaultModel) => action.run(() => models.change({ defaultModel }))} />
          <h3>Keys</h3>
          <ul className="token-list">
            {Object.entries(settings.keys).map(([provider, key]) => (
              <SecretRow
                key={provider}
                provider={provider}
                status={
                  key.problem
                    ? `unreadable: ${key.problem}`
                    : key.withheld
                      ? "not sent: it was entered for another address — enter it again"
                      : key.set
                        ? key.source === "admin"
                          ? "set"
                          : `set (from ${key.variable})`
                        : "not set"
                }
                canClear={key.source === "admin"}
                busy={action.busy}
                onSave={(value) => action.run(() => models.change({ keys: { [provider]: value } }))}
              />
            ))}
          </ul>
          <h3>Addresses</h3>
          <ul className="token-list">
            {Object.entries(settings.baseUrls).map(([provider, url]) => (
              <AddressRow
                key={provider}
                provider={provider}
                value={url.value}
                source={url.source}
                busy={action.busy}
                onSave={(value) => action.run(() => models.change({ baseUrls: { [provider]: value } }))}
              />
            ))}
          </ul>
        </>
      )}
      <ErrorBanner message={action.error ?? models.error} />
    </section>
  );
}

function DefaultModelForm({ settings, busy, onSave }: { settings: ModelSettings; busy: boolean; onSave(spec: string | null): void }) {
  const [spec, setSpec] = useState(settings.defaultModel ?? "");
  function save(event: FormEvent) {
    event.preventDefault();
    onSave(spec.trim() || null);
  }
  return (
    <>
      <form className="inline-form" onSubmit={save}>
        <input
          value={spec}
          onChange={(event) => setSpec(event.target.value)}
          placeholder={settings.envModel ? `${settings.envModel} (from COCANVAS_MODEL)` : "provider:model"}
          aria-label="Default model"
          data-testid="default-model"
        />
        <button type="submit" className="primary" disabled={busy} data-testid="save-default-model">
          Save
        </button>
      </form>
      <p className="muted small" data-testid="effective-model">
        {settings.effective ? (
          <>
            In use: <code>{settings.effective.spec}</code> — {sourceLabel[settings.effective.source]}
          </>
        ) : (
          "No model is configured: AI features are off until you choose one."
        )}
      </p>
    </>
  );
}

function SecretRow({ provider, status, canClear, busy, onSave }: { provider: string; status: string; canClear: boolean; busy: boolean; onSave(value: string | null): void }) {
  const [value, setValue] = useState("");
  function save(event: FormEvent) {
    event.preventDefault();
    if (!value.trim()) return;
    onSave(value.trim());
    setValue("");
  }
  return (
    <li className="token-row" data-testid="model-key" data-provider={provider}>
      <span className="token-name">{providerLabel[provider] ?? provider}</span>
      <span className="muted small" data-testid="key-status">
        {status}
      </span>
      <form className="inline-form row-actions" onSubmit={save}>
        <input type="password" autoComplete="off" value={value} onChange={(event) => setValue(event.target.value)} placeholder="New key" aria-label={`${provider} key`} />
        <button type="submit" disabled={busy || !value.trim()}>
          Set
        </button>
        {canClear && (
          <button type="button" className="danger-quiet" disabled={busy} onClick={() => onSave(null)}>
            Clear
          </button>
        )}
      </form>
    </li>
  );
}

function AddressRow(props: { provider: string; value: string | null; source: string | null; busy: boolean; onSave(value: string | null): void }) {
  const [value, setValue] = useState(props.value ?? "");
  function save(event: FormEvent) {
    event.preventDefault();
    props.onSave(value.trim() || null);
  }
  return (
    <li className="token-row" data-testid="model-address" data-provider={props.provider}>
      <span className="token-name">{providerLabel[props.provider] ?? props.provider}</span>
      <form className="inline-form row-actions" onSubmit={save}>
        <input value={value} onChange={(event) => setValue(event.target.value)} placeholder="https://… (empty: default)" aria-label={`${props.provider} address`} />
        <button type="submit" disabled={props.busy}>
          Save
        </button>
      </form>
      {props.source && props.source !== "admin" && <span className="muted small">{props.source === "default" ? "default" : "from environment"}</span>}
    </li>
  );
}

import { useState, type FormEvent } from "react";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction } from "../ui/use-resource.ts";
import { useApiTokens } from "./use-api-tokens.ts";

/** Create (shown once), list and revoke the API tokens scripts and agents use. */
export function ApiTokensSection() {
  const tokens = useApiTokens();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const action = useAction();

  async function create(event: FormEvent) {
    event.preventDefault();
    const token = await action.run(() => tokens.create(name));
    if (token) {
      setCreated(token);
      setName("");
    }
  }

  return (
    <section className="card" data-testid="api-tokens">
      <h2>API tokens</h2>
      <p className="muted small">
        Scripts and agents send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you.
      </p>
      <form className="inline-form" onSubmit={create}>
        <input placeholder="Token name, e.g. laptop script" value={name} onChange={(event) => setName(event.target.value)} aria-label="Token name" data-testid="token-name" />
        <button type="submit" className="primary" disabled={action.busy} data-testid="create-token">
          Create token
        </button>
      </form>
      {created && (
        <div className="token-once" data-testid="new-token">
          <p>
            Copy <strong>{created.name}</strong> now — it will not be shown again:
          </p>
          <input readOnly value={created.token} onFocus={(event) => event.target.select()} aria-label="New token" data-testid="new-token-value" />
          <button type="button" className="link-button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <ErrorBanner message={action.error ?? tokens.error} />
      {tokens.tokens?.length === 0 && <p className="muted small">No tokens yet.</p>}
      <ul className="token-list">
        {tokens.tokens?.map((token) => (
          <li key={token.id} className="token-row" data-testid="token-row">
            <span className="token-name">{token.name}</span>
            <span className="muted small">
              created {formatTime(token.createdAt)} · {token.lastUsedAt ? `last used ${formatTime(token.lastUsedAt)}` : "never used"}
            </span>
            <button type="button" className="danger-quiet" onClick={() => action.run(() => tokens.revoke(token.id))} data-testid="revoke-token">
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { notificationKinds, type Webhook, type WebhookDelivery } from "@cocanvas/protocol";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction } from "../ui/use-resource.ts";
import { useWorkspaces } from "../workspace/use-workspaces.ts";
import { useWebhooks } from "./use-webhooks.ts";

/**
 * Webhooks per workspace: add a URL (its signing secret is shown once), choose the kinds
 * sent there, send a test, read the delivery log, delete.
 */
export function WebhooksSection() {
  const { workspaces } = useWorkspaces();
  const [workspaceId, setWorkspaceId] = useState<string | null>(null);
  useEffect(() => {
    if (workspaces?.length && !workspaces.some((workspace) => workspace.id === workspaceId)) setWorkspaceId(workspaces[0]!.id);
  }, [workspaces, workspaceId]);
  const hooks = useWebhooks(workspaceId);
  const [url, setUrl] = useState("");
  const [kinds, setKinds] = useState<string[]>([]);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const action = useAction();

  async function create(event: FormEvent) {
    event.preventDefault();
    const webhook = await action.run(() => hooks.create(url.trim(), kinds));
    if (webhook) {
      setCreated({ url: webhook.url, secret: webhook.secret });
      setUrl("");
      setKinds([]);
    }
  }

  return (
    <section className="card" data-testid="webhook-settings">
      <h2>Webhooks</h2>
      <p className="muted small">
        Your notifications in a workspace are POSTed as JSON to these URLs, signed with <code>X-Cocanvas-Signature: sha256=…</code> (HMAC-SHA256 of{" "}
        <code>timestamp.body</code> with the secret; the timestamp is in <code>X-Cocanvas-Timestamp</code>). Failed deliveries are retried with backoff.
      </p>
      {workspaces?.length === 0 && <p className="muted small">Join or create a workspace first.</p>}
      {workspaces && workspaces.length > 0 && (
        <form className="inline-form" onSubmit={create}>
          <select value={workspaceId ?? ""} onChange={(event) => setWorkspaceId(event.target.value)} aria-label="Workspace" data-testid="webhook-workspace">
            {workspaces.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name}
              </option>
            ))}
          </select>
          <input type="url" required placeholder="https://example.com/hooks/cocanvas" value={url} onChange={(event) => setUrl(event.target.value)} aria-label="Webhook URL" data-testid="webhook-url" />
          {notificationKinds.map(({ kind }) => (
            <label key={kind} className="check-row small">
              <input type="checkbox" checked={kinds.includes(kind)} onChange={(event) => setKinds(event.target.checked ? [...kinds, kind] : kinds.filter((known) => known !== kind))} />
              {kind}
            </label>
          ))}
          <button type="submit" className="primary" disabled={action.busy || !url.trim()} data-testid="create-webhook">
            Add webhook
          </button>
        </form>
      )}
      <p className="muted small">No kind ticked: every notification is sent.</p>
      {created && (
        <div className="token-once" data-testid="new-webhook">
          <p>
            Copy the signing secret of <strong>{created.url}</strong> now — it will not be shown again:
          </p>
          <input readOnly value={created.secret} onFocus={(event) => event.target.select()} aria-label="Webhook secret" data-testid="new-webhook-secret" />
          <button type="button" className="link-button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <ErrorBanner message={action.error ?? hooks.error} />
      <ul className="token-list">
        {hooks.webhooks?.map((webhook) => (
          <WebhookRow key={webhook.id} webhook={webhook} hooks={hooks} />
        ))}
      </ul>
    </section>
  );
}

function WebhookRow({ webhook, hooks }: { webhook: Webhook; hooks: ReturnType<typeof useWebhooks> }) {
  const [log, setLog] = useState<WebhookDelivery[] | null>(null);
  const action = useAction();
  const showLog = async () => setLog((await action.run(() => hooks.deliveries(webhook.id))) ?? null);
  return (
    <li className="token-row webhook-row" data-testid="webhook-row">
      <span className="token-name">{webhook.url}</span>
      <span className="muted small">{webhook.kinds.length ? webhook.kinds.join(", ") : "every kind"} · added {formatTime(webhook.createdAt)}</span>
      <span className="row-actions">
        <button type="button" className="link-button" disabled={action.busy} onClick={() => void action.run(() => hooks.test(webhook.id)).then(showLog)}>
          Send test
        </button>
        <button type="button" className="link-button" disabled={action.busy} onClick={() => void (log ? setLog(null) : showLog())} data-testid="webhook-log-toggle">
          {log ? "Hide log" : "Delivery log"}
        </button>
        <button type="button" className="danger-quiet" disabled={action.busy} onClick={() => void action.run(() => hooks.remove(webhook.id))}>
          Delete
        </button>
      </span>
      <ErrorBanner message={action.error} />
      {log && (
        <ul className="webhook-log" data-testid="webhook-log">
          {log.length === 0 && <li className="muted small">Nothing sent yet.</li>}
          {log.map((delivery) => (
            <li key={delivery.id} className="small">
              <strong>{delivery.event}</strong> · {delivery.status}
              {delivery.nextAttemptAt ? ` (next try ${formatTime(delivery.nextAttemptAt)})` : ""}
              <ul>
                {delivery.attempts.map((attempt) => (
                  <li key={attempt.attempt} className="muted">
                    try {attempt.attempt} at {formatTime(attempt.at)}: {attempt.statusCode ?? "no answer"}
                    {attempt.error ? ` — ${attempt.error}` : ""} ({attempt.durationMs} ms)
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

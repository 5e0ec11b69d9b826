import { useState } from "react";
import { Dialog } from "../ui/dialog.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { RoleSelect } from "../ui/role-select.tsx";
import { useAction } from "../ui/use-resource.ts";
import { useShares, type ShareLink } from "./use-shares.ts";

const roleHints: Record<ShareLink["role"], string> = {
  editor: "can edit",
  commenter: "can view (comments to come)",
  viewer: "can view",
};

/** Create, copy and revoke links that grant a role on this canvas to whoever opens them. */
export function ShareDialog({ canvasId, onClose }: { canvasId: string; onClose(): void }) {
  const shares = useShares(canvasId);
  const [role, setRole] = useState<ShareLink["role"]>("viewer");
  const [copiedId, setCopiedId] = useState<string | null>(null);
  const action = useAction();

  async function copy(share: ShareLink) {
    try {
      await navigator.clipboard.writeText(share.url);
      setCopiedId(share.id);
    } catch {
      window.prompt("Copy this link:", share.url);
    }
  }

  return (
    <Dialog title="Share" onClose={onClose} testId="share-dialog">
      <p className="muted small">Anyone signed in who opens a link gets its role on this canvas.</p>
      <div className="inline-form">
        <RoleSelect value={role} onChange={(next) => setRole(next as ShareLink["role"])} roles={["editor", "commenter", "viewer"]} testId="share-role" />
        <button type="button" className="primary" disabled={action.busy} onClick={() => action.run(() => shares.create(role))} data-testid="create-share">
          Create link
        </button>
      </div>
      <ErrorBanner message={action.error ?? shares.error} />
      {shares.shares?.length === 0 && <p className="muted small">No links yet.</p>}
      <ul className="share-list" data-testid="share-list">
        {shares.shares?.map((share) => (
          <li key={share.id} className="share-row" data-testid="share-row" data-role={share.role}>
            <div className="share-main">
              <input readOnly value={share.url} onFocus={(event) => event.target.select()} aria-label="Share link" data-testid="share-url" />
              <span className="muted small">
                <span className="role-badge">{share.role}</span> {roleHints[share.role]} · {formatTime(share.createdAt)}
              </span>
            </div>
            <button type="button" onClick={() => copy(share)} data-testid="copy-share">
              {copiedId === share.id ? "Copied" : "Copy"}
            </button>
            <button type="button" className="danger-quiet" onClick={() => action.run(() => shares.revoke(share.id))} data-testid="revoke-share">
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

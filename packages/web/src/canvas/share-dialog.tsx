import { useState } from "react";
import { Dialog } from "../ui/dialog.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { RoleSelect } from "../ui/role-select.tsx";
import { useAction } from "../ui/use-resource.ts";
import { useMembers } from "../workspace/use-members.ts";
import { useShares, type NewShareLink, type ShareLink } from "./use-shares.ts";

const roleHints: Record<ShareLink["role"], string> = {
  editor: "can edit",
  commenter: "can comment",
  viewer: "can view",
};

const people = (count: number) => (count === 1 ? "1 person" : `${count} people`);

/**
 * Who has access to this canvas and how: the workspace's members, people who joined
 * through a link (removable), and the live links (made, copied once, revoked).
 */
export function ShareDialog({ canvasId, workspaceId, onClose }: { canvasId: string; workspaceId: string; onClose(): void }) {
  const shares = useShares(canvasId);
  const members = useMembers(workspaceId);
  const [role, setRole] = useState<ShareLink["role"]>("viewer");
  const [made, setMade] = useState<NewShareLink | null>(null);
  const [copied, setCopied] = useState(false);
  const action = useAction();

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      window.prompt("Copy this link:", url);
    }
  }

  async function create() {
    const share = await action.run(() => shares.create(role));
    if (share) {
      setMade(share);
      setCopied(false);
    }
  }

  return (
    <Dialog title="Share" onClose={onClose} testId="share-dialog">
      <ErrorBanner message={action.error ?? shares.error ?? members.error} />
      <section className="share-section">
        <h3 className="share-heading">Invite with a link</h3>
        <p className="muted small">Whoever opens a link and signs in gets its role on this canvas. Revoking a link takes that access away again.</p>
        <div className="inline-form">
          <RoleSelect value={role} onChange={(next) => setRole(next as ShareLink["role"])} roles={["editor", "commenter", "viewer"]} testId="share-role" />
          <button type="button" className="primary" disabled={action.busy} onClick={create} data-testid="create-share">
            Create link
          </button>
        </div>
        {made && (
          <div className="share-new" data-testid="share-new">
            <input readOnly value={made.url} onFocus={(event) => event.target.select()} aria-label="New share link" data-testid="share-url" />
            <button type="button" onClick={() => copy(made.url)} data-testid="copy-share">
              {copied ? "Copied" : "Copy"}
            </button>
            <p className="muted small">Copy it now: for safety the link is shown only once.</p>
          </div>
        )}
        {shares.shares?.length === 0 && <p className="muted small">No links yet.</p>}
        <ul className="share-list" data-testid="share-list">
          {shares.shares?.map((share) => (
            <li key={share.id} className="share-row" data-testid="share-row" data-role={share.role}>
              <div className="share-main">
                <span>
                  <span className="role-badge">{share.role}</span> link · {roleHints[share.role]}
                </span>
                <span className="muted small">
                  {share.createdByName ? `by ${share.createdByName} · ` : ""}
                  {formatTime(share.createdAt)} · {people(share.people)} joined
                </span>
              </div>
              <button
                type="button"
                className="danger-quiet"
                title={share.people > 0 ? `Also removes the access of the ${people(share.people)} who joined through it` : undefined}
                onClick={() => action.run(() => shares.revoke(share.id))}
                data-testid="revoke-share"
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="share-section">
        <h3 className="share-heading">People with access</h3>
        <ul className="share-list" data-testid="access-list">
          {members.members?.map((member) => (
            <li key={member.userId} className="share-row" data-testid="access-member">
              <div className="share-main">
                <span className="share-name">{member.name}</span>
                <span className="muted small share-name">{member.email} · member of the workspace</span>
              </div>
              <span className="role-badge">{member.role}</span>
            </li>
          ))}
          {shares.grants?.map((grant) => (
            <li key={grant.userId} className="share-row" data-testid="access-grant" data-email={grant.email}>
              <div className="share-main">
                <span className="share-name">{grant.name}</span>
                <span className="muted small share-name">{grant.email} · {grant.shareLinkId ? "through a link" : "shared earlier"}</span>
              </div>
              <span className="role-badge">{grant.role}</span>
              <button type="button" className="danger-quiet" onClick={() => action.run(() => shares.removeGrant(grant.userId))} data-testid="remove-grant">
                Remove
              </button>
            </li>
          ))}
        </ul>
      </section>
    </Dialog>
  );
}

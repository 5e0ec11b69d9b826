import type { Role } from "@cocanvas/protocol";
import { useState, type FormEvent } from "react";
import { api } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { RoleSelect } from "../ui/role-select.tsx";
import { useAction, useResource } from "../ui/use-resource.ts";

interface Invitation {
  id: string;
  email: string | null;
  role: Role;
  createdByName: string | null;
  expiresAt: string;
  status: "open" | "accepted" | "revoked" | "expired";
}

/** Owners invite people (with or without an account) by a single-use link, emailed when email is on. */
export function InvitationsPanel({ workspaceId }: { workspaceId: string }) {
  const path = `/api/workspaces/${workspaceId}/invitations`;
  const invitations = useResource(path, async () => (await api.get<{ items: Invitation[] }>(path)).items);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [made, setMade] = useState<{ url: string; emailed: boolean } | null>(null);
  const action = useAction();

  async function invite(event: FormEvent) {
    event.preventDefault();
    const created = await action.run(() => api.post<{ url: string; emailed: boolean }>(path, { role, ...(email.trim() ? { email: email.trim() } : {}) }));
    if (created) {
      setMade(created);
      setEmail("");
      await invitations.reload();
    }
  }

  return (
    <section className="members-panel" data-testid="invitations-panel">
      <h3 className="share-heading">Invite by link</h3>
      <form className="inline-form" onSubmit={invite}>
        <input type="email" placeholder="Their email (optional)" value={email} onChange={(event) => setEmail(event.target.value)} aria-label="Invitation email" data-testid="invite-email" />
        <RoleSelect value={role} onChange={setRole} roles={["owner", "editor", "commenter", "viewer"]} testId="invite-role" />
        <button type="submit" className="primary" disabled={action.busy} data-testid="create-invite">
          Invite
        </button>
      </form>
      {made && (
        <div className="share-new" data-testid="invite-new">
          <input readOnly value={made.url} onFocus={(event) => event.target.select()} aria-label="Invitation link" data-testid="invite-url" />
          <p className="muted small">{made.emailed ? "Emailed. " : ""}Copy it now: the link is shown only once and works once.</p>
        </div>
      )}
      <ErrorBanner message={action.error ?? invitations.error} />
      <ul className="member-list">
        {invitations.data?.map((invitation) => (
          <li key={invitation.id} className="member-row" data-testid="invite-row" data-status={invitation.status}>
            <span className="member-name">{invitation.email ?? "Anyone with the link"}</span>
            <span className="muted small">
              {invitation.status === "open" ? `until ${formatTime(invitation.expiresAt)}` : invitation.status}
            </span>
            <div className="row-actions">
              <span className="role-badge">{invitation.role}</span>
              {invitation.status === "open" && (
                <button type="button" className="danger-quiet" onClick={() => action.run(async () => (await api.delete(`${path}/${invitation.id}`), await invitations.reload()))} data-testid="revoke-invite">
                  Revoke
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

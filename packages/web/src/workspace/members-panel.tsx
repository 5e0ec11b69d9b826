import type { Role } from "@cocanvas/protocol";
import { useState, type FormEvent } from "react";
import { useSignedInUser } from "../app/auth-state.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { RoleSelect } from "../ui/role-select.tsx";
import { useAction } from "../ui/use-resource.ts";
import { useMembers } from "./use-members.ts";

/** Who is in the workspace; owners add people by email, change roles and remove them. */
export function MembersPanel({ workspaceId, isOwner }: { workspaceId: string; isOwner: boolean }) {
  const members = useMembers(workspaceId);
  const me = useSignedInUser();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const action = useAction();
  const [invited, setInvited] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setInvited(null);
    await action.run(async () => {
      await members.add(email.trim(), role);
      setInvited(email.trim());
      setEmail("");
    });
  }

  return (
    <section className="members-panel" data-testid="members-panel">
      {isOwner && (
        <form className="inline-form" onSubmit={add}>
          <input type="email" required placeholder="Email" value={email} onChange={(event) => setEmail(event.target.value)} aria-label="Member email" data-testid="member-email" />
          <RoleSelect value={role} onChange={setRole} roles={["owner", "editor", "commenter", "viewer"]} testId="member-role" />
          <button type="submit" className="primary" disabled={action.busy} data-testid="add-member">
            Add member
          </button>
        </form>
      )}
      {invited && (
        <p className="hint" data-testid="member-invited">
          Invited {invited}. If they have an account here they are in the list below; if not, they join once they sign up and you add them again.
        </p>
      )}
      <ErrorBanner message={action.error ?? members.error} />
      <ul className="member-list">
        {members.members?.map((member) => (
          <li key={member.userId} className="member-row" data-testid="member-row" data-email={member.email}>
            <span className="member-name">
              {member.name}
              {member.userId === me.id && <span className="muted"> (you)</span>}
            </span>
            <span className="muted small">{member.email}</span>
            <div className="row-actions">
              {isOwner ? (
                <RoleSelect value={member.role} onChange={(next) => action.run(() => members.changeRole(member.userId, next))} roles={["owner", "editor", "commenter", "viewer"]} testId="member-role-select" />
              ) : (
                <span className="role-badge">{member.role}</span>
              )}
              {(isOwner || member.userId === me.id) && (
                <button type="button" className="danger-quiet" onClick={() => action.run(() => members.remove(member.userId))} data-testid="remove-member">
                  {member.userId === me.id ? "Leave" : "Remove"}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

import type { AdminUser } from "@cocanvas/protocol";
import { useState } from "react";
import { api } from "../app/api-client.ts";
import { useSignedInUser } from "../app/auth-state.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction, useResource } from "../ui/use-resource.ts";

/** Admins see every account, set a new password for someone, disable, enable and delete accounts. */
export function UsersSection() {
  const me = useSignedInUser();
  const users = useResource("/api/admin/users", async () => (await api.get<{ items: AdminUser[] }>("/api/admin/users")).items);
  const [resetting, setResetting] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  const run = async (work: () => Promise<unknown>, done: string) => {
    setNotice(null);
    const succeeded = await action.run(async () => {
      await work();
      return true;
    });
    if (succeeded) {
      setNotice(done);
      await users.reload();
    }
  };

  return (
    <section className="card" data-testid="admin-users">
      <h2>Accounts</h2>
      <ErrorBanner message={action.error ?? users.error} />
      {notice && (
        <p className="muted small" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      <ul className="member-list">
        {users.data?.map((user) => (
          <li key={user.id} className="member-row user-row" data-testid="user-row" data-email={user.email}>
            <span className="member-name">
              {user.name} <span className="muted small">{user.email}</span>
              {user.isAdmin && <span className="role-badge">admin</span>}
              {user.disabledAt && <span className="role-badge" data-testid="user-disabled">disabled</span>}
            </span>
            {user.id !== me.id && (
              <span className="row-actions">
                <button type="button" onClick={() => setResetting(resetting === user.id ? null : user.id)} data-testid="user-reset">
                  Reset password
                </button>
                <button
                  type="button"
                  onClick={() => run(() => api.patch(`/api/admin/users/${user.id}`, { disabled: !user.disabledAt }), `${user.email} is ${user.disabledAt ? "enabled" : "disabled"}.`)}
                  data-testid="user-toggle"
                >
                  {user.disabledAt ? "Enable" : "Disable"}
                </button>
                <button
                  type="button"
                  className="danger-quiet"
                  onClick={() => window.confirm(`Delete ${user.email} for good?`) && run(() => api.delete(`/api/admin/users/${user.id}`), `${user.email} was deleted.`)}
                  data-testid="user-delete"
                >
                  Delete
                </button>
              </span>
            )}
            {resetting === user.id && (
              <form
                className="inline-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  void run(() => api.post(`/api/admin/users/${user.id}/password`, { password }), `New password set for ${user.email}; their sessions ended. Tell them in person.`).then(() => {
                    setPassword("");
                    setResetting(null);
                  });
                }}
              >
                <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} placeholder="New password" aria-label="New password" autoComplete="new-password" data-testid="user-new-password" />
                <button type="submit" className="primary" disabled={action.busy} data-testid="user-reset-save">
                  Set password
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

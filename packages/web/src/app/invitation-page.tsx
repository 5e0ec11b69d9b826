import type { Role } from "@cocanvas/protocol";
import { useEffect, useState, type FormEvent } from "react";
import { api, errorMessage } from "./api-client.ts";
import { useAuth } from "./auth-state.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { Link } from "../ui/link.tsx";

interface InvitationPreview {
  workspaceId: string;
  workspaceName: string;
  role: Role;
  email: string | null;
  invitedBy: string | null;
}

/** `/invite/:token`: join the workspace with your account, or sign up into it. */
export function InvitationPage({ token }: { token: string }) {
  const { user } = useAuth();
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const path = `/api/invitations/${encodeURIComponent(token)}`;

  useEffect(() => {
    api.get<InvitationPreview>(path).then(setPreview, (caught: unknown) => setError(errorMessage(caught)));
  }, [path]);

  async function join(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = user ? {} : { password, ...(name.trim() ? { name: name.trim() } : {}), ...(preview?.email ? {} : { email }) };
      const joined = await api.post<{ workspace: { id: string } }>(`${path}/accept`, body);
      // A full load picks up a new session.
      window.location.assign(`/w/${joined.workspace.id}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={join} data-testid="invitation-form">
        <h1 className="brand">Cocanvas</h1>
        {preview && (
          <>
            <h2>Join {preview.workspaceName}</h2>
            <p className="hint">
              {preview.invitedBy ?? "Someone"} invited {preview.email ?? "you"} as {preview.role}.
            </p>
            {!user && (
              <>
                <label>
                  Name
                  <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" data-testid="name-input" />
                </label>
                <label>
                  Email
                  <input
                    type="email"
                    required
                    value={preview.email ?? email}
                    readOnly={preview.email !== null}
                    onChange={(event) => setEmail(event.target.value)}
                    autoComplete="email"
                    data-testid="email-input"
                  />
                </label>
                <label>
                  Password
                  <input type="password" required value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="new-password" data-testid="password-input" />
                </label>
              </>
            )}
            <ErrorBanner message={error} />
            <button type="submit" className="primary" disabled={busy} data-testid="invitation-accept">
              {user ? `Join as ${user.name}` : "Create account and join"}
            </button>
            {!user && (
              <p className="switch">
                Have an account? <Link href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>Log in first</Link>
              </p>
            )}
          </>
        )}
        {!preview && error && (
          <>
            <h2>This invitation does not work</h2>
            <ErrorBanner message={error} />
          </>
        )}
      </form>
    </main>
  );
}

import { useEffect, useState, type FormEvent } from "react";
import { api, errorMessage } from "./api-client.ts";
import { Link } from "../ui/link.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";

/** `/forgot-password`: emails a reset link when the server can send email; otherwise says to ask the admin. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [emailConfigured, setEmailConfigured] = useState<boolean | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<{ emailConfigured: boolean }>("/api/auth/config").then((config) => setEmailConfigured(config.emailConfigured), () => setEmailConfigured(null));
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMessage((await api.post<{ message: string }>("/api/auth/password/forgot", { email })).message);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid="forgot-form">
        <h1 className="brand">Cocanvas</h1>
        <h2>Forgot your password?</h2>
        {emailConfigured === false ? (
          <p className="hint" data-testid="forgot-message">
            This server does not send email. Ask your admin to reset your password.
          </p>
        ) : message ? (
          <p className="hint" role="status" data-testid="forgot-message">
            {message}
          </p>
        ) : (
          <>
            <label>
              Email
              <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="email" data-testid="email-input" />
            </label>
            <ErrorBanner message={error} />
            <button type="submit" className="primary" disabled={busy} data-testid="forgot-submit">
              Email me a reset link
            </button>
          </>
        )}
        <p className="switch">
          <Link href="/login">Back to log in</Link>
        </p>
      </form>
    </main>
  );
}

/** `/reset-password/:token`: sets a new password with a reset link (once), then opens the app signed in. */
export function ResetPasswordPage({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post("/api/auth/password/reset", { token, password });
      // A full load picks up the new session everywhere.
      window.location.assign("/");
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid="reset-form">
        <h1 className="brand">Cocanvas</h1>
        <h2>Choose a new password</h2>
        <label>
          New password
          <input type="password" required value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="new-password" data-testid="password-input" />
        </label>
        <ErrorBanner message={error} />
        <button type="submit" className="primary" disabled={busy} data-testid="reset-submit">
          Set password
        </button>
        <p className="switch">
          <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      </form>
    </main>
  );
}

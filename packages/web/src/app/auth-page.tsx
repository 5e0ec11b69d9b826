import { useEffect, useState, type FormEvent } from "react";
import { errorMessage, api } from "./api-client.ts";
import { useAuth } from "./auth-state.tsx";
import { navigate } from "./router.ts";
import { Link } from "../ui/link.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";

interface AuthConfig {
  signupAllowed: boolean;
  needsFirstUser: boolean;
}

/** The log-in and sign-up forms; `next` is where to go afterwards. */
export function AuthPage({ mode, next }: { mode: "login" | "signup"; next: string | null }) {
  const { logIn, signUp } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [config, setConfig] = useState<AuthConfig | null>(null);

  useEffect(() => {
    api.get<AuthConfig>("/api/auth/config").then(setConfig, () => setConfig(null));
  }, []);

  const suffix = next ? `?next=${encodeURIComponent(next)}` : "";
  const isSignup = mode === "signup";

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (isSignup) await signUp(email, password, name);
      else await logIn(email, password);
      navigate(next && next.startsWith("/") ? next : "/", { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid={`${mode}-form`}>
        <h1 className="brand">Cocanvas</h1>
        <h2>{isSignup ? "Create your account" : "Log in"}</h2>
        {isSignup && config?.needsFirstUser && <p className="hint">You are the first person here: your account will be the admin.</p>}
        {isSignup && config && !config.signupAllowed && !config.needsFirstUser && (
          <p className="hint">Sign-ups are turned off on this server. Ask an admin.</p>
        )}
        {isSignup && (
          <label>
            Name
            <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" data-testid="name-input" />
          </label>
        )}
        <label>
          Email
          <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="email" data-testid="email-input" />
        </label>
        <label>
          Password
          <input
            type="password"
            required
            minLength={isSignup ? 12 : undefined}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete={isSignup ? "new-password" : "current-password"}
            data-testid="password-input"
          />
        </label>
        {isSignup && <p className="hint">At least 12 characters; a few unrelated words work well. Common passwords are refused.</p>}
        <ErrorBanner message={error} />
        <button type="submit" className="primary" disabled={busy} data-testid={`${mode}-submit`}>
          {isSignup ? "Sign up" : "Log in"}
        </button>
        <p className="switch">
          {isSignup ? (
            <>Already have an account? <Link href={`/login${suffix}`}>Log in</Link></>
          ) : (
            <>
              New here? <Link href={`/signup${suffix}`}>Create an account</Link> · <Link href="/forgot-password" data-testid="forgot-link">Forgot password?</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}

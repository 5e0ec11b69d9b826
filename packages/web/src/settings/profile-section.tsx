import type { User } from "@cocanvas/protocol";
import { useState, type FormEvent } from "react";
import { api } from "../app/api-client.ts";
import { useAuth, useSignedInUser } from "../app/auth-state.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction } from "../ui/use-resource.ts";

/** Your name and email, and a password change that needs the current password. */
export function ProfileSection() {
  const user = useSignedInUser();
  const auth = useAuth();
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const profile = useAction();
  const password = useAction();

  async function saveProfile(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    const answer = await profile.run(() => api.patch<{ user: User }>("/api/auth/me", { name, email }));
    if (answer) {
      auth.replaceUser(answer.user);
      setNotice("Profile saved.");
    }
  }

  async function changePassword(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    const done = await password.run(async () => {
      await api.post("/api/auth/password", { currentPassword, newPassword });
      return true;
    });
    if (done) {
      setCurrentPassword("");
      setNewPassword("");
      setNotice("Password changed. You were signed out everywhere else.");
    }
  }

  return (
    <section className="card" data-testid="profile">
      <h2>Profile</h2>
      <form className="stacked-form" onSubmit={saveProfile}>
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" data-testid="profile-name" />
        </label>
        <label>
          Email
          <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="email" data-testid="profile-email" />
        </label>
        <button type="submit" className="primary" disabled={profile.busy} data-testid="profile-save">
          Save profile
        </button>
        <ErrorBanner message={profile.error} />
      </form>
      <h3>Change password</h3>
      <form className="stacked-form" onSubmit={changePassword}>
        <label>
          Current password
          <input type="password" value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} autoComplete="current-password" data-testid="current-password" />
        </label>
        <label>
          New password
          <input type="password" value={newPassword} onChange={(event) => setNewPassword(event.target.value)} autoComplete="new-password" data-testid="new-password" />
        </label>
        <button type="submit" disabled={password.busy} data-testid="password-save">
          Change password
        </button>
        <ErrorBanner message={password.error} />
      </form>
      {notice && (
        <p className="muted small" role="status" data-testid="profile-notice">
          {notice}
        </p>
      )}
    </section>
  );
}

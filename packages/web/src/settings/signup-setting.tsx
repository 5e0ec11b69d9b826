import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction } from "../ui/use-resource.ts";
import { useAdminSettings } from "./use-admin-settings.ts";

/** Admins turn sign-ups on and off. */
export function SignupSetting() {
  const admin = useAdminSettings(true);
  const action = useAction();
  return (
    <section className="card" data-testid="admin-settings">
      <h2>Server</h2>
      <label className="checkbox-row">
        <input
          type="checkbox"
          checked={admin.settings?.allowSignup ?? false}
          disabled={!admin.settings || action.busy}
          onChange={(event) => action.run(() => admin.setAllowSignup(event.target.checked))}
          data-testid="allow-signup"
        />
        Anyone can sign up
      </label>
      <p className="muted small">When off, nobody can create a new account; existing accounts keep working.</p>
      <ErrorBanner message={action.error ?? admin.error} />
    </section>
  );
}

import { notificationKinds, type NotificationSettings } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction, useResource } from "../ui/use-resource.ts";

/** Settings: the inbox always gets everything; email overall and per kind (when the server can send email). */
export function NotificationSettingsSection() {
  const settings = useResource("notification-settings", () => api.get<NotificationSettings>("/api/notifications/settings"));
  const action = useAction();
  const current = settings.data;

  async function save(next: { email: boolean; emailKinds: Record<string, boolean> }) {
    await action.run(async () => {
      await api.put("/api/notifications/settings", next);
      await settings.reload();
    });
  }

  return (
    <section className="card" data-testid="notification-settings">
      <h2>Notifications</h2>
      <p className="muted small">Everything arrives in the bell at the top. Email is off unless you turn it on.</p>
      <ErrorBanner message={action.error ?? settings.error} />
      {current && !current.emailAvailable && (
        <p className="muted small" data-testid="email-unavailable">
          This server sends no email (an admin sets <code>COCANVAS_SMTP_URL</code> to turn it on).
        </p>
      )}
      {current && (
        <fieldset className="plain-fieldset" disabled={!current.emailAvailable || action.busy}>
          <label className="check-row">
            <input type="checkbox" checked={current.email} onChange={(event) => void save({ email: event.target.checked, emailKinds: current.emailKinds })} data-testid="email-all" />
            Email me every notification
          </label>
          {notificationKinds.map(({ kind, label }) => (
            <label key={kind} className="check-row">
              <input
                type="checkbox"
                checked={current.emailKinds[kind] ?? current.email}
                onChange={(event) => void save({ email: current.email, emailKinds: { ...current.emailKinds, [kind]: event.target.checked } })}
                data-testid={`email-kind-${kind}`}
              />
              Email: {label.charAt(0).toLowerCase() + label.slice(1)}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  );
}

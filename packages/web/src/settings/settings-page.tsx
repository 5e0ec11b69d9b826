import { useSignedInUser } from "../app/auth-state.tsx";
import { AppHeader } from "../ui/app-header.tsx";
import { useDocumentTitle } from "../ui/use-document-title.ts";
import { ApiTokensSection } from "./api-tokens-section.tsx";
import { MemorySection } from "./memory-section.tsx";
import { NotificationSettingsSection } from "../notifications/notification-settings-section.tsx";
import { WebhooksSection } from "../notifications/webhooks-section.tsx";
import { ModelsSection } from "./models-section.tsx";
import { ProfileSection } from "./profile-section.tsx";
import { SignupSetting } from "./signup-setting.tsx";
import { UsersSection } from "./users-section.tsx";

/** `/settings`: your profile and password, notifications and webhooks, API tokens, your memory per workspace, and server settings (sign-up, models) for admins. */
export default function SettingsPage() {
  const user = useSignedInUser();
  useDocumentTitle("Settings");
  return (
    <>
      <AppHeader />
      <main className="page settings-page">
        <h1>Settings</h1>
        <p className="muted">
          Signed in as {user.name} ({user.email}){user.isAdmin ? " · admin" : ""}
        </p>
        <ProfileSection />
        <NotificationSettingsSection />
        <WebhooksSection />
        <ApiTokensSection />
        <MemorySection />
        {user.isAdmin && <SignupSetting />}
        {user.isAdmin && <UsersSection />}
        {user.isAdmin && <ModelsSection />}
      </main>
    </>
  );
}

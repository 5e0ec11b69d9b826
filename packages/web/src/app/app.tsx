import { lazy, Suspense, useEffect } from "react";
import { AuthPage } from "./auth-page.tsx";
import { useAuth } from "./auth-state.tsx";
import { matchRoute, navigate, useLocation, type Route } from "./router.ts";
import { HomePage } from "../workspace/home-page.tsx";
import { CanvasPage } from "../canvas/canvas-page.tsx";
import { ShareAcceptPage } from "../canvas/share-accept-page.tsx";
import { SharePreviewPage } from "../canvas/share-preview-page.tsx";
import { ForgotPasswordPage, ResetPasswordPage } from "./password-pages.tsx";
import { InvitationPage } from "./invitation-page.tsx";
import { AppHeader } from "../ui/app-header.tsx";

const SettingsPage = lazy(() => import("../settings/settings-page.tsx"));

/** Picks the page for the current location, sending signed-out visitors to /login. */
export function App() {
  const location = useLocation();
  const route = matchRoute(location);
  const { user } = useAuth();
  const isPublic = route.name === "login" || route.name === "signup";
  // Pages anyone may see, signed in or not.
  const isOpen = route.name === "forgot-password" || route.name === "reset-password" || route.name === "share" || route.name === "invite";

  useEffect(() => {
    if (user === null && !isPublic && !isOpen) navigate(`/login?next=${encodeURIComponent(location)}`, { replace: true });
    if (user && isPublic) navigate(route.next && route.next.startsWith("/") ? route.next : "/", { replace: true });
  }, [user, isPublic, isOpen, location, route]);

  if (user === undefined) return <p className="page-loading">Loading…</p>;
  if (route.name === "login" || route.name === "signup") return <AuthPage key={route.name} mode={route.name} next={route.next} />;
  if (route.name === "forgot-password") return <ForgotPasswordPage />;
  if (route.name === "reset-password") return <ResetPasswordPage token={route.token} />;
  if (route.name === "invite") return <InvitationPage token={route.token} />;
  if (route.name === "share" && !user) return <SharePreviewPage token={route.token} />;
  if (!user) return null;
  return <SignedInPage route={route} />;
}

function SignedInPage({ route }: { route: Route }) {
  switch (route.name) {
    case "home":
      return <HomePage workspaceId={route.workspaceId} />;
    case "canvas":
      return <CanvasPage key={route.canvasId} canvasId={route.canvasId} />;
    case "share":
      return <ShareAcceptPage token={route.token} />;
    case "settings":
      return (
        <Suspense fallback={<p className="page-loading">Loading…</p>}>
          <SettingsPage />
        </Suspense>
      );
    default:
      return (
        <>
          <AppHeader />
          <main className="page">
            <h1>Not found</h1>
            <p>There is nothing at this address.</p>
          </main>
        </>
      );
  }
}

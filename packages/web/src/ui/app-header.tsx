import type { ReactNode } from "react";
import { useAuth } from "../app/auth-state.tsx";
import { navigate } from "../app/router.ts";
import { NotificationBell } from "../notifications/notification-bell.tsx";
import { Link } from "./link.tsx";

/** The bar on top of every signed-in page; `children` sit between the brand and the account. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const { user, logOut } = useAuth();
  async function handleLogOut() {
    await logOut();
    navigate("/login");
  }
  return (
    <header className="app-header">
      <Link href="/" className="brand" data-testid="home-link">
        Cocanvas
      </Link>
      <div className="app-header-middle">{children}</div>
      <nav className="app-header-account">
        <NotificationBell />
        <Link href="/settings" data-testid="settings-link">
          Settings
        </Link>
        <span className="user-name" data-testid="current-user">
          {user?.name}
        </span>
        <button type="button" className="link-button" onClick={handleLogOut} data-testid="logout-button">
          Log out
        </button>
      </nav>
    </header>
  );
}

import { useEffect, useState } from "react";
import type { Canvas } from "@cocanvas/protocol";
import { api, errorMessage } from "../app/api-client.ts";
import { navigate } from "../app/router.ts";
import { AppHeader } from "../ui/app-header.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { Link } from "../ui/link.tsx";

/** `/s/:token`: accepts a share link for the signed-in user, then opens the canvas. */
export function ShareAcceptPage({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api
      .post<Canvas>(`/api/shares/${encodeURIComponent(token)}/accept`)
      .then((canvas) => !cancelled && navigate(`/c/${canvas.id}`, { replace: true }))
      .catch((caught: unknown) => !cancelled && setError(errorMessage(caught)));
    return () => {
      cancelled = true;
    };
  }, [token]);
  return (
    <>
      <AppHeader />
      <main className="page" data-testid="share-accept">
        {error ? (
          <>
            <h1>This link does not work</h1>
            <ErrorBanner message={error} />
            <Link href="/">Back to your workspaces</Link>
          </>
        ) : (
          <p className="muted">Opening the shared canvas…</p>
        )}
      </main>
    </>
  );
}

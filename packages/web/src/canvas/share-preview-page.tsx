import { useEffect, useState } from "react";
import { api, errorMessage } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { Link } from "../ui/link.tsx";

interface SharePreview {
  title: string;
  kind: string;
  role: "editor" | "commenter" | "viewer";
  workspaceName: string;
  sharedBy: string | null;
}

const roleWords = { editor: "edit", commenter: "comment on", viewer: "view" } as const;

/** `/s/:token` for a signed-out visitor: what was shared, and how to sign in or up into it. */
export function SharePreviewPage({ token }: { token: string }) {
  const [preview, setPreview] = useState<SharePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<SharePreview>(`/api/shares/${encodeURIComponent(token)}`).then(setPreview, (caught: unknown) => setError(errorMessage(caught)));
  }, [token]);
  const next = encodeURIComponent(`/s/${token}`);
  return (
    <main className="auth-page">
      <div className="auth-card" data-testid="share-preview">
        <h1 className="brand">Cocanvas</h1>
        {error && (
          <>
            <h2>This link does not work</h2>
            <ErrorBanner message={error} />
          </>
        )}
        {preview && (
          <>
            <h2 data-testid="share-preview-title">{preview.title}</h2>
            <p className="hint">
              {preview.sharedBy ?? "Someone"} shared this {preview.kind} from the workspace “{preview.workspaceName}” with you: you can {roleWords[preview.role]} it.
            </p>
            <Link href={`/login?next=${next}`} className="button primary" data-testid="share-preview-login">
              Log in to open it
            </Link>
            <p className="switch">
              New here? <Link href={`/signup?next=${next}`} data-testid="share-preview-signup">Create an account</Link>
            </p>
          </>
        )}
      </div>
    </main>
  );
}

import { lazy, Suspense, useMemo, useRef, useState } from "react";
import { AiPanel, type AiTarget } from "../ai/ai-panel.tsx";
import { useSignedInUser } from "../app/auth-state.tsx";
import { useOpenOnHighlightClick } from "../comments/comment-focus.ts";
import { CommentsPanel } from "../comments/comments-panel.tsx";
import { RichTextEditor } from "../editors/rich-text/rich-text-editor.tsx";
import { useCollabProvider } from "../sync/use-collab-provider.ts";
import { presenceUser } from "../sync/user-presence.ts";
import { AppHeader } from "../ui/app-header.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { InlineEdit } from "../ui/inline-edit.tsx";
import { Link } from "../ui/link.tsx";
import { canEdit, hasRole } from "../ui/roles.ts";
import { useAction } from "../ui/use-resource.ts";
import { useDocumentTitle } from "../ui/use-document-title.ts";
import { CanvasExportLink } from "../workspace/canvas-export-link.tsx";
import { ConnectionBadge } from "./connection-badge.tsx";
import { PresenceBar } from "./presence-bar.tsx";
import { ShareDialog } from "./share-dialog.tsx";
import { WorkspaceCrumb } from "./workspace-crumb.tsx";
import { useCanvas } from "./use-canvas.ts";
import { VersionsPanel } from "./versions-panel.tsx";

// CodeMirror is loaded only when a code canvas opens.
const CodeCanvas = lazy(() => import("../editors/code/code-canvas.tsx"));

/** `/c/:canvasId`: the live editor of one canvas with presence, versions and sharing. */
export function CanvasPage({ canvasId }: { canvasId: string }) {
  const signedIn = useSignedInUser();
  const user = useMemo(() => presenceUser(signedIn), [signedIn]);
  const session = useCollabProvider(canvasId, user);
  // The role shown and enforced follows the live channel's re-authentications (a role changed).
  const { canvas, error, rename } = useCanvas(canvasId, `${Math.max(session.authentications, 1)} ${session.accessError ?? ""}`);
  const [panel, setPanel] = useState<"ai" | "versions" | "share" | "comments" | null>(null);
  // Clicking commented text in an editor opens its thread.
  useOpenOnHighlightClick(session.provider?.document ?? null, () => setPanel("comments"));
  // The open editor keeps this current: what the AI would work on right now.
  const aiTarget = useRef<() => AiTarget>(() => ({ label: "the whole canvas" }));
  const setAiTarget = (read: () => AiTarget) => {
    aiTarget.current = read;
  };
  const renameAction = useAction();
  const editable = canEdit(canvas?.role);
  useDocumentTitle(canvas?.title);

  if (error) {
    return (
      <>
        <AppHeader />
        <main className="page">
          <ErrorBanner message={error} />
          <Link href="/">Back to your workspaces</Link>
        </main>
      </>
    );
  }

  return (
    <div className="canvas-page" data-testid="canvas-page" data-kind={canvas?.kind}>
      <AppHeader>
        {canvas && (
          <div className="canvas-heading">
            <WorkspaceCrumb workspaceId={canvas.workspaceId} />
            <span className="muted">/</span>
            <InlineEdit value={canvas.title} onSave={(title) => renameAction.run(() => rename(title))} disabled={!editable} label="Canvas title" className="canvas-title-text" testId="canvas-title" />
            {!editable && (
              <span className="view-only-badge" data-testid="view-only-badge">
                {hasRole(canvas.role, "commenter") ? "Can comment" : "View only"}
              </span>
            )}
          </div>
        )}
      </AppHeader>
      <div className="canvas-bar">
        <PresenceBar provider={session.provider} canStopAgents={hasRole(canvas?.role, "commenter")} />
        <ConnectionBadge session={session} />
        <div className="spacer" />
        {canvas && <CanvasExportLink canvas={canvas} />}
        <button type="button" className={panel === "ai" ? "selected" : undefined} onClick={() => setPanel(panel === "ai" ? null : "ai")} data-testid="ai-button">
          AI
        </button>
        <button type="button" className={panel === "comments" ? "selected" : undefined} onClick={() => setPanel(panel === "comments" ? null : "comments")} data-testid="comments-button">
          Comments
        </button>
        <button type="button" className={panel === "versions" ? "selected" : undefined} onClick={() => setPanel(panel === "versions" ? null : "versions")} data-testid="versions-button">
          Versions
        </button>
        {editable && (
          <button type="button" onClick={() => setPanel("share")} data-testid="share-button">
            Share
          </button>
        )}
      </div>
      <ErrorBanner message={renameAction.error ?? session.accessError} />
      <div className="canvas-body">
        <div className="canvas-editor">
          {canvas && session.provider && (
            canvas.kind === "doc" ? (
              <RichTextEditor key={session.provider.configuration.name} canvasId={canvasId} provider={session.provider} user={user} editable={editable} onAiTarget={setAiTarget} />
            ) : (
              <Suspense fallback={<p className="muted">Loading the code editor…</p>}>
                <CodeCanvas provider={session.provider} user={user} editable={editable} onAiTarget={setAiTarget} />
              </Suspense>
            )
          )}
        </div>
        {panel === "ai" && canvas && session.provider && (
          <AiPanel
            canvasId={canvasId}
            workspaceId={canvas.workspaceId}
            canvasKind={canvas.kind}
            doc={session.provider.document}
            user={signedIn}
            editable={editable}
            canAsk={hasRole(canvas.role, "commenter")}
            canChooseModel={hasRole(canvas.role, "owner")}
            currentTarget={() => aiTarget.current()}
            onClose={() => setPanel(null)}
          />
        )}
        {panel === "comments" && canvas && session.provider && (
          <CommentsPanel canvasId={canvasId} doc={session.provider.document} role={canvas.role} userId={signedIn.id} currentTarget={() => aiTarget.current()} onClose={() => setPanel(null)} />
        )}
        {panel === "versions" && canvas && <VersionsPanel canvasId={canvasId} canRestore={editable} onClose={() => setPanel(null)} />}
      </div>
      {panel === "share" && canvas && <ShareDialog canvasId={canvasId} workspaceId={canvas.workspaceId} onClose={() => setPanel(null)} />}
    </div>
  );
}

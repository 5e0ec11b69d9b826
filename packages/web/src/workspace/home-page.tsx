import { useEffect } from "react";
import { navigate } from "../app/router.ts";
import { AppHeader } from "../ui/app-header.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useDocumentTitle } from "../ui/use-document-title.ts";
import { SharedCanvases } from "./shared-canvases.tsx";
import { useWorkspaces } from "./use-workspaces.ts";
import { WorkspaceSidebar } from "./workspace-sidebar.tsx";
import { WorkspaceView } from "./workspace-view.tsx";

const lastWorkspaceKey = "cocanvas:last-workspace";

/** `/` and `/w/:workspaceId`: the workspaces on the left, the chosen one on the right. */
export function HomePage({ workspaceId }: { workspaceId: string | null }) {
  const workspaces = useWorkspaces();
  const list = workspaces.workspaces;
  const remembered = localStorage.getItem(lastWorkspaceKey);
  const selected =
    list?.find((workspace) => workspace.id === workspaceId) ??
    (workspaceId ? undefined : (list?.find((workspace) => workspace.id === remembered) ?? list?.[0]));

  useDocumentTitle(selected?.name);

  useEffect(() => {
    if (selected) localStorage.setItem(lastWorkspaceKey, selected.id);
  }, [selected]);

  async function removeSelected() {
    if (!selected) return;
    await workspaces.remove(selected.id);
    localStorage.removeItem(lastWorkspaceKey);
    navigate("/");
  }

  return (
    <>
      <AppHeader />
      <div className="home-layout">
        <aside className="sidebar">
          <WorkspaceSidebar
            workspaces={list}
            selectedId={selected?.id ?? null}
            onCreate={async (name) => navigate(`/w/${(await workspaces.create(name)).id}`)}
            onImport={async (exported) => navigate(`/w/${(await workspaces.importExport(exported)).id}`)}
          />
          <SharedCanvases />
        </aside>
        <main className="home-main">
          <ErrorBanner message={workspaces.error} />
          {selected ? (
            <WorkspaceView
              key={selected.id}
              workspace={selected}
              onRename={(name) => workspaces.rename(selected.id, name)}
              onDelete={removeSelected}
            />
          ) : list && workspaceId ? (
            <p className="empty" data-testid="workspace-missing">This workspace does not exist or you are not a member.</p>
          ) : list && list.length === 0 ? (
            <div className="empty" data-testid="no-workspaces">
              <h2>Welcome to Cocanvas</h2>
              <p>Create a workspace on the left to start writing documents and code with others.</p>
            </div>
          ) : null}
        </main>
      </div>
    </>
  );
}

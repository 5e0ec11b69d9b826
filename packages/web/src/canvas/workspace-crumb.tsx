import type { Workspace } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { Link } from "../ui/link.tsx";
import { useResource } from "../ui/use-resource.ts";

/**
 * The breadcrumb before a canvas's title: its workspace by name for members; for someone
 * who reached the canvas through a link (no workspace to open), "Shared with me" on the home page.
 */
export function WorkspaceCrumb({ workspaceId }: { workspaceId: string }) {
  const path = `/api/workspaces/${workspaceId}`;
  const workspace = useResource(path, () => api.get<Workspace>(path));
  if (workspace.data) {
    return (
      <Link href={`/w/${workspaceId}`} className="muted small breadcrumb-workspace" title={workspace.data.name} data-testid="breadcrumb-workspace">
        {workspace.data.name}
      </Link>
    );
  }
  return (
    <Link href="/" className="muted small breadcrumb-workspace" data-testid="breadcrumb-workspace">
      {workspace.error ? "Shared with me" : "…"}
    </Link>
  );
}

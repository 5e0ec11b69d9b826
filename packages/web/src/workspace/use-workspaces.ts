import type { Workspace } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";
import { useWorkspaceChanges } from "../events/use-live-events.ts";

/** The workspaces the signed-in user belongs to, with the calls that change them. */
export function useWorkspaces() {
  const resource = useResource("workspaces", async () => (await api.get<{ items: Workspace[] }>("/api/workspaces")).items);
  // A workspace renamed, deleted or created, or your membership or role changed.
  useWorkspaceChanges(null, ["workspace", "members"], resource.reload);

  async function create(name: string): Promise<Workspace> {
    const workspace = await api.post<Workspace>("/api/workspaces", { name });
    await resource.reload();
    return workspace;
  }
  async function rename(workspaceId: string, name: string): Promise<void> {
    await api.patch(`/api/workspaces/${workspaceId}`, { name });
    await resource.reload();
  }
  async function remove(workspaceId: string): Promise<void> {
    await api.delete(`/api/workspaces/${workspaceId}`);
    await resource.reload();
  }
  async function importExport(exported: unknown): Promise<Workspace> {
    const workspace = await api.post<Workspace>("/api/workspaces/import", exported);
    await resource.reload();
    return workspace;
  }

  return { workspaces: resource.data, error: resource.error, reload: resource.reload, create, rename, remove, importExport };
}

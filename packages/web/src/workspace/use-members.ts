import type { Member, Role } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";
import { useWorkspaceChanges } from "../events/use-live-events.ts";

/** The members of a workspace; changing them is for owners. */
export function useMembers(workspaceId: string) {
  const path = `/api/workspaces/${workspaceId}/members`;
  const resource = useResource(path, async () => (await api.get<{ items: Member[] }>(path)).items);
  useWorkspaceChanges(workspaceId, ["members"], resource.reload);

  async function add(email: string, role: Role): Promise<void> {
    await api.post(path, { email, role });
    await resource.reload();
  }
  async function changeRole(userId: string, role: Role): Promise<void> {
    await api.patch(`${path}/${userId}`, { role });
    await resource.reload();
  }
  async function remove(userId: string): Promise<void> {
    await api.delete(`${path}/${userId}`);
    await resource.reload();
  }

  return { members: resource.data, error: resource.error, add, changeRole, remove };
}

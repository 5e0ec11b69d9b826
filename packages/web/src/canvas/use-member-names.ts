import type { Member } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

/**
 * Names of the workspace's members by user id, to say who made a version. People who
 * reach a canvas through a share link may not see the member list; then the map is empty.
 */
export function useMemberNames(workspaceId: string | undefined): Map<string, string> {
  const path = workspaceId ? `/api/workspaces/${workspaceId}/members` : null;
  const resource = useResource(path, async () => {
    try {
      return (await api.get<{ members: Member[] }>(path!)).members;
    } catch {
      return [];
    }
  });
  return new Map((resource.data ?? []).map((member) => [member.userId, member.name]));
}

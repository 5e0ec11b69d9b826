import type { Role } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

export interface ShareLink {
  id: string;
  role: Exclude<Role, "owner">;
  token: string;
  url: string;
  createdAt: string;
}

/** The share links of a canvas: list, create with a role, revoke. */
export function useShares(canvasId: string) {
  const path = `/api/canvases/${canvasId}/shares`;
  const resource = useResource(path, async () => (await api.get<{ items: ShareLink[] }>(path)).items);

  async function create(role: ShareLink["role"]): Promise<ShareLink> {
    const share = await api.post<ShareLink>(path, { role });
    await resource.reload();
    return share;
  }
  async function revoke(shareId: string): Promise<void> {
    await api.delete(`${path}/${shareId}`);
    await resource.reload();
  }

  return { shares: resource.data, error: resource.error, create, revoke };
}

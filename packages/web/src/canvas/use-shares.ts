import type { Role } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

/** A live share link as listed: its token is shown only once, when it is made. */
export interface ShareLink {
  id: string;
  role: Exclude<Role, "owner">;
  createdByName: string | null;
  createdAt: string;
  /** How many people hold their access through this link. */
  people: number;
}

/** A link just made: the only time its URL is known. */
export interface NewShareLink {
  id: string;
  role: ShareLink["role"];
  url: string;
}

/** Someone who reaches the canvas through a link they accepted. */
export interface Grant {
  userId: string;
  name: string;
  email: string;
  role: ShareLink["role"];
  shareLinkId: string | null;
  grantedAt: string | null;
}

/** Who reaches a canvas through links: the links (create, revoke) and the people (remove). */
export function useShares(canvasId: string) {
  const path = `/api/canvases/${canvasId}/shares`;
  const grantsPath = `/api/canvases/${canvasId}/grants`;
  const links = useResource(path, async () => (await api.get<{ items: ShareLink[] }>(path)).items);
  const grants = useResource(grantsPath, async () => (await api.get<{ items: Grant[] }>(grantsPath)).items);

  async function create(role: ShareLink["role"]): Promise<NewShareLink> {
    const share = await api.post<NewShareLink>(path, { role });
    await links.reload();
    return share;
  }
  async function revoke(shareId: string): Promise<void> {
    await api.delete(`${path}/${shareId}`);
    await Promise.all([links.reload(), grants.reload()]);
  }
  async function removeGrant(userId: string): Promise<void> {
    await api.delete(`${grantsPath}/${userId}`);
    await Promise.all([links.reload(), grants.reload()]);
  }

  return { shares: links.data, grants: grants.data, error: links.error ?? grants.error, create, revoke, removeGrant };
}

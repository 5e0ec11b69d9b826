import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

export interface ApiTokenSummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The signed-in user's API tokens; a new token's secret is returned once, by `create`. */
export function useApiTokens() {
  const resource = useResource("tokens", async () => (await api.get<{ items: ApiTokenSummary[] }>("/api/tokens")).items);

  async function create(name: string): Promise<{ id: string; name: string; token: string }> {
    const created = await api.post<{ id: string; name: string; token: string }>("/api/tokens", name.trim() ? { name: name.trim() } : {});
    await resource.reload();
    return created;
  }
  async function revoke(tokenId: string): Promise<void> {
    await api.delete(`/api/tokens/${tokenId}`);
    await resource.reload();
  }

  return { tokens: resource.data, error: resource.error, create, revoke };
}

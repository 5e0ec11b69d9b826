import type { Webhook, WebhookDelivery } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

/** Your webhooks in one workspace; a new one's secret is returned once, by `create`. */
export function useWebhooks(workspaceId: string | null) {
  const path = `/api/workspaces/${workspaceId}/webhooks`;
  const resource = useResource(workspaceId ? path : null, async () => (await api.get<{ items: Webhook[] }>(path)).items);

  async function create(url: string, kinds: string[]): Promise<Webhook & { secret: string }> {
    const created = await api.post<Webhook & { secret: string }>(path, { url, kinds });
    await resource.reload();
    return created;
  }
  async function remove(id: string): Promise<void> {
    await api.delete(`/api/webhooks/${id}`);
    await resource.reload();
  }
  const test = (id: string) => api.post(`/api/webhooks/${id}/test`);
  const deliveries = async (id: string) => (await api.get<{ items: WebhookDelivery[] }>(`/api/webhooks/${id}/deliveries?limit=20`)).items;

  return { webhooks: resource.data, error: resource.error, create, remove, test, deliveries };
}

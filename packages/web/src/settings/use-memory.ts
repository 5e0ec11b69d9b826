import type { MemoryEntry, MemoryList, MemoryReflection } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

/** What agents remember about the signed-in person in one workspace, and the calls that change it. */
export function useMemory(workspaceId: string | null) {
  const path = `/api/workspaces/${workspaceId}/memory`;
  const resource = useResource(workspaceId ? `memory:${workspaceId}` : null, () => api.get<MemoryList>(path));

  async function reflect(): Promise<MemoryReflection> {
    const result = await api.post<MemoryReflection>(`${path}/reflect`);
    await resource.reload();
    return result;
  }
  async function edit(entry: MemoryEntry, text: string): Promise<void> {
    await api.patch(`/api/memory/${entry.id}`, { text });
    await resource.reload();
  }
  async function remove(entry: MemoryEntry): Promise<void> {
    await api.delete(`/api/memory/${entry.id}`);
    await resource.reload();
  }
  async function clear(): Promise<void> {
    await api.delete(path);
    await resource.reload();
  }

  return { memory: resource.data, error: resource.error, loading: resource.loading, reflect, edit, remove, clear };
}

import type { Canvas } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

/** One canvas's metadata (title, kind, the caller's role), with rename. */
export function useCanvas(canvasId: string) {
  const resource = useResource(canvasId, () => api.get<Canvas>(`/api/canvases/${canvasId}`));

  async function rename(title: string): Promise<void> {
    await api.patch(`/api/canvases/${canvasId}`, { title });
    await resource.reload();
  }

  return { canvas: resource.data, error: resource.error, rename };
}

import { useEffect, useRef } from "react";
import type { Canvas } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";
import { useWorkspaceChanges } from "../events/use-live-events.ts";

/**
 * One canvas's metadata (title, kind, the caller's role), with rename. It is read again
 * when `accessKey` changes: the live channel authenticated again or was refused, so the
 * role may have changed.
 */
export function useCanvas(canvasId: string, accessKey = "") {
  const resource = useResource(canvasId, () => api.get<Canvas>(`/api/canvases/${canvasId}`));
  // Renamed (or trashed) by someone else: the title follows.
  useWorkspaceChanges(resource.data?.workspaceId, ["canvases", "trash", "members"], resource.reload);
  const { reload } = resource;
  const firstKey = useRef(accessKey);
  useEffect(() => {
    if (accessKey !== firstKey.current) void reload();
  }, [accessKey, reload]);

  async function rename(title: string): Promise<void> {
    await api.patch(`/api/canvases/${canvasId}`, { title });
    await resource.reload();
  }

  return { canvas: resource.data, error: resource.error, rename };
}

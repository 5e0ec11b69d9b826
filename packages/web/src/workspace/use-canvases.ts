import type { Canvas, CanvasKind, CodeFile } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";
import { useWorkspaceChanges } from "../events/use-live-events.ts";

/** The canvases of one workspace (or its trash), filtered by a title search. */
export function useCanvases(workspaceId: string, options: { query: string; trash: boolean }) {
  const params = new URLSearchParams();
  if (options.query.trim()) params.set("q", options.query.trim());
  if (options.trash) params.set("trash", "true");
  const search = params.toString();
  const path = `/api/workspaces/${workspaceId}/canvases${search ? `?${search}` : ""}`;
  const resource = useResource(path, async () => (await api.get<{ items: Canvas[] }>(path)).items);
  // Someone else created, renamed, trashed or restored a canvas: show it.
  useWorkspaceChanges(workspaceId, ["canvases", "trash"], resource.reload);

  async function create(title: string, kind: CanvasKind): Promise<Canvas> {
    const canvas = await api.post<Canvas>(`/api/workspaces/${workspaceId}/canvases`, { title, kind });
    await resource.reload();
    return canvas;
  }
  async function rename(canvasId: string, title: string): Promise<void> {
    await api.patch(`/api/canvases/${canvasId}`, { title });
    await resource.reload();
  }
  async function moveToTrash(canvasId: string): Promise<void> {
    await api.delete(`/api/canvases/${canvasId}`);
    await resource.reload();
  }
  async function restore(canvasId: string): Promise<void> {
    await api.post(`/api/canvases/${canvasId}/restore`);
    await resource.reload();
  }
  async function deleteForever(canvasId: string): Promise<void> {
    await api.delete(`/api/canvases/${canvasId}?permanent=true`);
    await resource.reload();
  }
  async function importMarkdown(title: string, markdown: string): Promise<Canvas> {
    const canvas = await api.post<Canvas>(`/api/workspaces/${workspaceId}/import`, { kind: "doc", title, markdown });
    await resource.reload();
    return canvas;
  }
  async function importFiles(title: string, files: CodeFile[]): Promise<Canvas> {
    const canvas = await api.post<Canvas>(`/api/workspaces/${workspaceId}/import`, { kind: "code", title, files });
    await resource.reload();
    return canvas;
  }

  return {
    canvases: resource.data,
    error: resource.error,
    loading: resource.loading,
    create,
    rename,
    moveToTrash,
    restore,
    deleteForever,
    importMarkdown,
    importFiles,
  };
}

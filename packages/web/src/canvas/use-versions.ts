import type { Version } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

export interface DiffLine {
  type: "same" | "add" | "remove";
  text: string;
}

/** The version history of a canvas: list, save a named one, restore, compare. */
export function useVersions(canvasId: string) {
  const base = `/api/canvases/${canvasId}/versions`;
  const resource = useResource(base, async () => (await api.get<{ items: Version[] }>(base)).items);

  async function save(name: string): Promise<void> {
    await api.post(base, { name });
    await resource.reload();
  }
  async function restore(versionId: string): Promise<void> {
    await api.post(`${base}/${versionId}/restore`);
    await resource.reload();
  }
  async function diff(from: string, to: string): Promise<DiffLine[]> {
    const query = new URLSearchParams({ from, to });
    return (await api.get<{ lines: DiffLine[] }>(`/api/canvases/${canvasId}/diff?${query}`)).lines;
  }

  async function text(versionId: string): Promise<string> {
    return (await api.get<{ text: string }>(`${base}/${versionId}`)).text;
  }

  return { versions: resource.data, error: resource.error, reload: resource.reload, save, restore, diff, text };
}

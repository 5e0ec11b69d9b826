import { diffLines } from "@cocanvas/content";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { Storage } from "../storage/storage.ts";
import { canvasAsText } from "../canvases/canvas-content.ts";

/** Characters of changed text given per canvas, and in all. */
const perCanvas = 3000;
const total = 16_000;

/**
 * What changed in a workspace since `since`, for a digest task: each canvas edited since
 * then, with the lines added and removed against its last version from before `since`
 * (or its whole text when it is new). Only canvases the task's owner can see are given.
 */
export async function workspaceChanges(input: { storage: Storage; documents: LiveDocuments; workspaceId: string; since: Date; visible(canvasId: string): Promise<boolean> }): Promise<string> {
  const { storage, documents, workspaceId, since } = input;
  const changed = (await storage.listCanvases(workspaceId)).filter((canvas) => new Date(canvas.updatedAt) > since || new Date(canvas.createdAt) > since);
  const sections: string[] = [];
  let used = 0;
  for (const canvas of changed) {
    if (used > total || !(await input.visible(canvas.id))) continue;
    const now = canvasAsText(documents.currentState(canvas.id), canvas.kind);
    const before = (await storage.listVersions(canvas.id)).find((version) => new Date(version.createdAt) <= since);
    let body: string;
    if (new Date(canvas.createdAt) > since || !before) {
      body = `(new since then)\n${now}`;
    } else {
      const stored = await storage.getVersion(canvas.id, before.id);
      const then = stored ? canvasAsText(stored.state, canvas.kind) : "";
      const lines = diffLines(then, now).filter((line) => line.type !== "same");
      body = lines.length ? lines.map((line) => `${line.type === "add" ? "+" : "-"} ${line.text}`).join("\n") : "(only formatting or suggestions changed)";
    }
    const section = `## ${canvas.title} (last edited ${canvas.updatedAt})\n${body.slice(0, perCanvas)}${body.length > perCanvas ? "\n…" : ""}`;
    used += section.length;
    sections.push(section);
  }
  if (!sections.length) return `<workspace-changes since="${since.toISOString()}">\nNothing changed in the workspace since then.\n</workspace-changes>`;
  return `<workspace-changes since="${since.toISOString()}">\n${sections.join("\n\n")}\n</workspace-changes>`;
}

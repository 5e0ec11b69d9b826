import { z } from "zod";
import * as Y from "yjs";
import { ApiError, CanvasKind } from "@cocanvas/protocol";
import { newId } from "../ids.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { Storage, WorkspaceRow } from "../storage/storage.ts";
import { canvasAsText } from "./canvas-content.ts";
import { detectImageType, renameUploadsInState } from "./images.ts";

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "expected base64");
const timestamp = z.string().max(40);

/** A whole workspace as JSON: every canvas's exact Yjs state, its versions and images. */
export const WorkspaceExport = z.object({
  format: z.literal("cocanvas.workspace"),
  formatVersion: z.literal(1),
  exportedAt: timestamp,
  workspace: z.object({ name: z.string().min(1).max(200) }),
  canvases: z
    .array(
      z.object({
        id: z.string(),
        title: z.string().min(1).max(200),
        kind: CanvasKind,
        createdAt: timestamp,
        updatedAt: timestamp,
        deletedAt: timestamp.nullable(),
        /** The document, as one Yjs update (base64). */
        state: base64,
        /** A readable rendering (Markdown or files), for people and diffs; ignored on import. */
        text: z.string().optional(),
        versions: z.array(z.object({ name: z.string().nullable(), kind: z.enum(["auto", "named", "restore"]), createdAt: timestamp, state: base64 })),
        uploads: z.array(z.object({ id: z.string().regex(/^[\w-]{1,64}$/), mime: z.string().max(100), data: base64 })),
      }),
    )
    .max(10_000),
});
export type WorkspaceExport = z.infer<typeof WorkspaceExport>;

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

export async function exportWorkspace(storage: Storage, documents: LiveDocuments, workspace: WorkspaceRow): Promise<WorkspaceExport> {
  const canvases = [...(await storage.listCanvases(workspace.id)), ...(await storage.listCanvases(workspace.id, { trash: true }))];
  return {
    format: "cocanvas.workspace",
    formatVersion: 1,
    exportedAt: new Date().toISOString(),
    workspace: { name: workspace.name },
    canvases: await Promise.all(
      canvases.map(async (canvas) => {
        const state = documents.currentState(canvas.id);
        const versions = await storage.listVersions(canvas.id);
        return {
          id: canvas.id,
          title: canvas.title,
          kind: canvas.kind,
          createdAt: canvas.createdAt,
          updatedAt: canvas.updatedAt,
          deletedAt: canvas.deletedAt,
          state: toBase64(state),
          text: canvasAsText(state, canvas.kind),
          versions: await Promise.all(
            versions.reverse().map(async (version) => ({
              name: version.name,
              kind: version.kind,
              createdAt: version.createdAt,
              state: toBase64((await storage.getVersion(canvas.id, version.id))!.state),
            })),
          ),
          uploads: (await storage.listUploads(canvas.id)).map((upload) => ({ id: upload.id, mime: upload.mime, data: upload.data.toString("base64") })),
        };
      }),
    ),
  };
}

/** Imports an export as a new workspace owned by `ownerId`; canvases and uploads get new ids. */
export async function importWorkspace(storage: Storage, input: unknown, ownerId: string): Promise<WorkspaceRow> {
  const parsed = WorkspaceExport.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError("invalid_request", `Not a Cocanvas workspace export: ${issue?.path.join(".")}: ${issue?.message}`, parsed.error.issues);
  }
  const data = parsed.data;
  // Check every state decodes before anything is written, so bad input changes nothing.
  for (const canvas of data.canvases) {
    for (const state of [canvas.state, ...canvas.versions.map((version) => version.state)]) {
      try {
        Y.applyUpdate(new Y.Doc(), fromBase64(state));
      } catch {
        throw new ApiError("invalid_request", `Canvas ${JSON.stringify(canvas.title)} holds a state that is not a Yjs update.`);
      }
    }
  }
  const workspace = await storage.createWorkspace(data.workspace.name, ownerId);
  for (const canvas of data.canvases) {
    const row = await storage.createCanvas({ workspaceId: workspace.id, title: canvas.title, kind: canvas.kind, createdBy: ownerId });
    await storage.updateCanvas(row.id, { deletedAt: canvas.deletedAt, updatedAt: canvas.updatedAt });
    // Every imported image is a new upload with a new id, and the document's images are
    // pointed at it: an export that names an existing upload id never links that upload
    // (someone else's image) to the importer's canvas.
    const renamed = new Map<string, string>();
    for (const upload of canvas.uploads) {
      const bytes = Buffer.from(upload.data, "base64");
      const mime = detectImageType(bytes);
      if (!mime || renamed.has(upload.id)) continue;
      const id = newId();
      renamed.set(upload.id, id);
      await storage.addUpload(row.id, { id, mime, size: bytes.length, data: bytes, createdBy: ownerId });
    }
    storage.documents.compact(row.id, renameUploadsInState(fromBase64(canvas.state), renamed));
    for (const version of canvas.versions) {
      const state = renameUploadsInState(fromBase64(version.state), renamed);
      await storage.createVersion({ id: newId(), canvasId: row.id, name: version.name, kind: version.kind, createdBy: null, createdAt: version.createdAt, state });
    }
  }
  return workspace;
}

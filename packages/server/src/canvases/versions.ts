import * as Y from "yjs";
import { ApiError } from "@cocanvas/protocol";
import { diffLines, restoreCanvas } from "@cocanvas/content";
import { newId } from "../ids.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { CanvasRow, Storage, VersionRow } from "../storage/storage.ts";
import { canvasAsText } from "./canvas-content.ts";

/** The origin of changes the server makes when restoring a version. */
export const restoreOrigin = "cocanvas:restore";

/**
 * Version history: automatic snapshots while a canvas is edited, named ones, a diff
 * between any two, and restore as a new change (history is never rewritten).
 */
export class Versions {
  private readonly lastVersionAt = new Map<string, number>();
  /** Canvases changed since their last version. */
  private readonly changed = new Set<string>();

  constructor(
    private readonly storage: Storage,
    private readonly documents: LiveDocuments,
    private readonly autoIntervalMs: number,
  ) {}

  async create(canvas: CanvasRow, fields: { name: string | null; kind: VersionRow["kind"]; createdBy: string | null }): Promise<VersionRow> {
    const version = await this.storage.createVersion({ id: newId(), canvasId: canvas.id, ...fields, state: this.documents.currentState(canvas.id) });
    this.lastVersionAt.set(canvas.id, Date.now());
    this.changed.delete(canvas.id);
    return version;
  }

  /**
   * Called (debounced) while a document is edited: takes an automatic version when the
   * last one is older than the interval. A canvas with no version yet counts from the
   * moment it was first edited in this process, so that many documents opening at once do
   * not all encode a version in the same instant.
   */
  async maybeAutoVersion(canvasId: string, document: Y.Doc): Promise<void> {
    this.changed.add(canvasId);
    let last = this.lastVersionAt.get(canvasId);
    if (last === undefined) {
      const latest = await this.storage.latestVersion(canvasId);
      last = latest ? Date.parse(latest.createdAt) : Date.now();
      this.lastVersionAt.set(canvasId, last);
    }
    if (Date.now() - last >= this.autoIntervalMs) await this.autoVersion(canvasId, document);
  }

  /** Called when the last person leaves: keeps the end of an editing session as a version. */
  async onSessionEnd(canvasId: string, document: Y.Doc): Promise<void> {
    if (this.changed.has(canvasId)) await this.autoVersion(canvasId, document);
    this.lastVersionAt.delete(canvasId);
  }

  private async autoVersion(canvasId: string, document: Y.Doc): Promise<void> {
    this.changed.delete(canvasId);
    this.lastVersionAt.set(canvasId, Date.now());
    if (!(await this.storage.getCanvas(canvasId))) return;
    await this.storage.createVersion({ id: newId(), canvasId, name: null, kind: "auto", createdBy: null, state: Y.encodeStateAsUpdate(document) });
  }

  private async stateOf(canvas: CanvasRow, versionId: string): Promise<Uint8Array> {
    if (versionId === "current") return this.documents.currentState(canvas.id);
    const version = await this.storage.getVersion(canvas.id, versionId);
    if (!version) throw new ApiError("not_found", `No version ${versionId} of this canvas.`);
    return version.state;
  }

  async text(canvas: CanvasRow, versionId: string): Promise<string> {
    return canvasAsText(await this.stateOf(canvas, versionId), canvas.kind);
  }

  async diff(canvas: CanvasRow, from: string, to: string) {
    const [before, after] = await Promise.all([this.text(canvas, from), this.text(canvas, to)]);
    return diffLines(before, after);
  }

  /** Makes the canvas's content equal to a version's, as a change every client receives. */
  async restore(canvas: CanvasRow, versionId: string, userId: string): Promise<VersionRow> {
    const version = await this.storage.getVersion(canvas.id, versionId);
    if (!version) throw new ApiError("not_found", `No version ${versionId} of this canvas.`);
    await this.documents.changeDocument(canvas.id, (document) => restoreCanvas(document, version.state, canvas.kind, restoreOrigin));
    const label = version.name ?? new Date(version.createdAt).toISOString().replace("T", " ").slice(0, 16);
    return this.create(canvas, { name: `Restored ${label}`, kind: "restore", createdBy: userId });
  }
}

import * as Y from "yjs";
import type { DocumentLog } from "../storage/storage.ts";

/**
 * Rebuilds a document from its durable log: the snapshot, then every update after it,
 * applied in one transaction (never Y.mergeUpdates over many small updates: it is
 * ~50x slower, see docs/decisions/0001-durable-updates.md).
 */
export function loadDocumentInto(document: Y.Doc, log: DocumentLog, name: string): number {
  const { snapshot, updates } = log.load(name);
  document.transact(() => {
    if (snapshot) Y.applyUpdate(document, snapshot);
    for (const update of updates) Y.applyUpdate(document, update);
  });
  return updates.length;
}

/** A fresh Y.Doc holding the stored state of `name`. */
export function readStoredDocument(log: DocumentLog, name: string): Y.Doc {
  const document = new Y.Doc();
  loadDocumentInto(document, log, name);
  return document;
}

/**
 * Keeps one loaded document durable: every update (from a client, the server or an
 * agent) is appended to the log synchronously, inside the same call that applies it,
 * so the write lands before Hocuspocus acknowledges the update. Compacts the log into
 * a snapshot once it grows past `compactAfter` updates.
 */
export class DurableDocument {
  private pending: number;
  private readonly onUpdate = (update: Uint8Array) => {
    this.log.appendUpdate(this.name, update);
    this.pending++;
  };

  constructor(
    private readonly document: Y.Doc,
    private readonly name: string,
    private readonly log: DocumentLog,
    private readonly compactAfter: number,
    pendingAtLoad: number,
  ) {
    this.pending = pendingAtLoad;
    document.on("update", this.onUpdate);
  }

  /** Compacts when the log has grown enough (or always, with `force` and any pending update). */
  maybeCompact(force = false): boolean {
    if (this.pending === 0 || (!force && this.pending < this.compactAfter)) return false;
    this.log.compact(this.name, Y.encodeStateAsUpdate(this.document));
    this.pending = 0;
    return true;
  }

  detach(): void {
    this.document.off("update", this.onUpdate);
  }
}

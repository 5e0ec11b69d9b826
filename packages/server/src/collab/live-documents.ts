import * as Y from "yjs";
import type { DocumentLog } from "../storage/storage.ts";
import { readStoredDocument } from "./document-persistence.ts";

/** Reads and changes canvas documents, whether or not the live server has them open. */
export interface LiveDocuments {
  /** The current state of a canvas document, as one Yjs update. */
  currentState(canvasId: string): Uint8Array;
  /** Applies `change` as a new change that is logged durably and reaches every connected client. */
  changeDocument(canvasId: string, change: (document: Y.Doc) => void): Promise<void>;
}

/**
 * Documents straight from storage, for processes that run no live server (the CLI).
 * Only safe for documents no server has open, such as a canvas being imported. A change
 * is written as the document's new snapshot, never appended to the log: only the server
 * appends, and it knows its log's rows without reading them back (decision 0001).
 */
export function storedDocuments(log: DocumentLog): LiveDocuments {
  return {
    currentState: (canvasId) => Y.encodeStateAsUpdate(readStoredDocument(log, canvasId)),
    async changeDocument(canvasId, change) {
      const document = readStoredDocument(log, canvasId);
      change(document);
      log.compact(canvasId, Y.encodeStateAsUpdate(document));
      document.destroy();
    },
  };
}

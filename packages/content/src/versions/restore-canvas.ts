import * as Y from "yjs";
import { codeFilesName, listCodeFiles, updateFile } from "../code-canvas/code-files.ts";
import { readDocNode, writeDocNode } from "../doc-canvas/doc-canvas.ts";
import type { CanvasKind } from "./canvas-kind.ts";
import { docFromState } from "./doc-from-state.ts";

/**
 * Makes a live canvas's content equal to an earlier state of it, as a new change.
 *
 * History is not rewritten: the live Y.Doc receives ordinary edits in one transaction
 * (tagged with `origin`), so every connected client gets them as a normal update and can
 * undo them. For a doc, only the parts that differ are rewritten. For code, files keep
 * their ids: changed ones are edited in place, files added since are deleted, and files
 * deleted since come back under their old ids.
 *
 * @param live the document clients are connected to.
 * @param fromState `Y.encodeStateAsUpdate` of the state to go back to.
 * @throws when `fromState` is not a Yjs update.
 */
export function restoreCanvas(live: Y.Doc, fromState: Uint8Array, kind: CanvasKind, origin?: unknown): void {
  const earlier = docFromState(fromState);
  try {
    if (kind === "doc") writeDocNode(live, readDocNode(earlier), origin);
    else restoreCodeFiles(live, earlier, origin);
  } finally {
    earlier.destroy();
  }
}

function restoreCodeFiles(live: Y.Doc, earlier: Y.Doc, origin: unknown): void {
  const targets = listCodeFiles(earlier);
  const map = live.getMap<unknown>(codeFilesName);
  live.transact(() => {
    const wanted = new Set(targets.map((file) => file.id));
    for (const id of Array.from(map.keys())) if (!wanted.has(id)) map.delete(id);
    for (const file of targets) updateFile(map, file.id, file);
  }, origin);
}

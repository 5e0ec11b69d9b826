import * as Y from "yjs";
import { newFileId } from "../code-canvas/code-files.ts";

/** The name of the `Y.Array` that holds a data canvas's cells, in reading order. */
export const dataCellsName = "cells";

export const cellKinds = ["markdown", "sql", "python", "javascript", "chart"] as const;
export type CellKind = (typeof cellKinds)[number];

/** One cell of a data canvas, read out of the Y.Doc. */
export interface DataCell {
  id: string;
  kind: CellKind;
  /** The name later cells use for this cell's result (empty for none). */
  name: string;
  source: string;
}

const resultName = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Whether `name` can name a result (it becomes a table name and a variable). */
export function isResultName(name: string): boolean {
  return resultName.test(name);
}

function cellsArray(ydoc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return ydoc.getArray(dataCellsName);
}

/** Reads one cell; tolerates entries other clients wrote with missing or odd fields. */
function readCell(value: unknown): DataCell | null {
  if (!(value instanceof Y.Map)) return null;
  const id = value.get("id");
  const kind = value.get("kind");
  if (typeof id !== "string" || !cellKinds.includes(kind as CellKind)) return null;
  const name = value.get("name");
  const source = value.get("source");
  return {
    id,
    kind: kind as CellKind,
    name: typeof name === "string" && isResultName(name) ? name : "",
    source: source instanceof Y.Text || typeof source === "string" ? source.toString() : "",
  };
}

/**
 * The cells of a data canvas in reading order.
 * @example listDataCells(document); // [{ id: "k3…", kind: "sql", name: "totals", source: "select …" }]
 */
export function listDataCells(ydoc: Y.Doc): DataCell[] {
  return cellsArray(ydoc)
    .toArray()
    .map(readCell)
    .filter((cell): cell is DataCell => cell !== null);
}

/** The live `Y.Text` of a cell's source, for an editor binding; null for an unknown cell. */
export function dataCellSource(ydoc: Y.Doc, cellId: string): Y.Text | null {
  const entry = cellsArray(ydoc).toArray().find((cell) => cell instanceof Y.Map && cell.get("id") === cellId);
  const source = entry?.get("source");
  return source instanceof Y.Text ? source : null;
}

/** Adds a cell at `index` (default: the end) in one transaction; returns its id. */
export function addDataCell(ydoc: Y.Doc, cell: { kind: CellKind; name?: string; source?: string }, index?: number, origin?: unknown): string {
  if (cell.name && !isResultName(cell.name)) throw new Error(`"${cell.name}" cannot name a result: use letters, digits and _, starting with a letter or _.`);
  const id = newFileId();
  ydoc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set("id", id);
    entry.set("kind", cell.kind);
    entry.set("name", cell.name ?? "");
    entry.set("source", new Y.Text(cell.source ?? ""));
    const cells = cellsArray(ydoc);
    cells.insert(Math.max(0, Math.min(index ?? cells.length, cells.length)), [entry]);
  }, origin);
  return id;
}

/** Renames a cell's result; returns false for an unknown cell. */
export function renameDataCell(ydoc: Y.Doc, cellId: string, name: string, origin?: unknown): boolean {
  if (name && !isResultName(name)) throw new Error(`"${name}" cannot name a result: use letters, digits and _, starting with a letter or _.`);
  const entry = cellsArray(ydoc).toArray().find((cell) => cell instanceof Y.Map && cell.get("id") === cellId);
  if (!entry) return false;
  ydoc.transact(() => entry.set("name", name), origin);
  return true;
}

/** Removes a cell; returns false for an unknown cell. */
export function removeDataCell(ydoc: Y.Doc, cellId: string, origin?: unknown): boolean {
  const index = cellsArray(ydoc).toArray().findIndex((cell) => cell instanceof Y.Map && cell.get("id") === cellId);
  if (index < 0) return false;
  ydoc.transact(() => cellsArray(ydoc).delete(index, 1), origin);
  return true;
}

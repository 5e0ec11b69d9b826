import type { DataCell } from "./data-cells.ts";

/** What a cell reads: other cells' results and workspace tables, by name. */
export interface CellInputs {
  cells: string[];
  tables: string[];
}

/** The dependency graph of a data canvas: who reads whom, and what must re-run after a change. */
export interface CellGraph {
  inputs: Map<string, CellInputs>;
  /** Cells that cannot run because they are part of a cycle, with the cycle's names. */
  cycles: Map<string, string[]>;
  /** Cells whose name another cell already uses (the first one keeps it). */
  duplicateNames: Set<string>;
  /** All runnable cells, each after everything it reads. */
  order: string[];
}

/**
 * The names a cell's source mentions: identifiers outside strings and comments (SQL's
 * `--`/`/* *\/`, Python's `#`, JavaScript's `//`); for a chart, the `data.name` of its
 * Vega-Lite spec. A name is a dependency only when it is a result or a table.
 */
export function mentionedNames(cell: Pick<DataCell, "kind" | "source">): Set<string> {
  if (cell.kind === "markdown") return new Set();
  if (cell.kind === "chart") {
    try {
      const spec = JSON.parse(cell.source) as { data?: { name?: unknown } };
      return new Set(typeof spec.data?.name === "string" ? [spec.data.name] : []);
    } catch {
      return new Set();
    }
  }
  const lineComment = cell.kind === "sql" ? "--" : cell.kind === "python" ? "#" : "//";
  const names = new Set<string>();
  const source = cell.source;
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (source.startsWith(lineComment, index)) {
      const end = source.indexOf("\n", index);
      index = end < 0 ? source.length : end;
    } else if (cell.kind !== "python" && source.startsWith("/*", index)) {
      const end = source.indexOf("*/", index + 2);
      index = end < 0 ? source.length : end + 2;
    } else if (char === "'" || char === '"' || char === "`") {
      // SQL's double quotes are identifiers: `select * from "sales"` reads sales.
      const end = source.indexOf(char, index + 1);
      const quoted = source.slice(index + 1, end < 0 ? source.length : end);
      if (cell.kind === "sql" && char === '"') names.add(quoted);
      if (cell.kind === "python" && /(load|table)\s*\(\s*$/.test(source.slice(0, index))) names.add(quoted);
      index = end < 0 ? source.length : end + 1;
    } else if (/[A-Za-z_]/.test(char) && (index === 0 || !/[A-Za-z0-9_.]/.test(source[index - 1]!))) {
      let end = index + 1;
      while (end < source.length && /[A-Za-z0-9_]/.test(source[end]!)) end++;
      names.add(source.slice(index, end));
      index = end;
    } else {
      index++;
    }
  }
  return names;
}

/** Builds the graph of a canvas's cells over the workspace's `tables`. */
export function buildCellGraph(cells: readonly DataCell[], tables: readonly string[]): CellGraph {
  const byName = new Map<string, string>();
  const duplicateNames = new Set<string>();
  for (const cell of cells) {
    if (!cell.name) continue;
    if (byName.has(cell.name)) duplicateNames.add(cell.id);
    else byName.set(cell.name, cell.id);
  }
  const tableSet = new Set(tables);
  const inputs = new Map<string, CellInputs>();
  for (const cell of cells) {
    const reads: CellInputs = { cells: [], tables: [] };
    for (const name of mentionedNames(cell)) {
      const producer = byName.get(name);
      if (producer && producer !== cell.id) reads.cells.push(producer);
      else if (!producer && tableSet.has(name)) reads.tables.push(name);
    }
    inputs.set(cell.id, reads);
  }

  // Depth-first topological order; a cell on a cycle (or reading one) cannot run.
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const cycles = new Map<string, string[]>();
  const nameOf = (id: string) => cells.find((cell) => cell.id === id)?.name || id;
  const visit = (id: string, path: string[]): boolean => {
    if (state.get(id) === "done") return !cycles.has(id);
    if (state.get(id) === "visiting") {
      const cycle = path.slice(path.indexOf(id));
      for (const member of cycle) cycles.set(member, cycle.map(nameOf));
      return false;
    }
    state.set(id, "visiting");
    let runnable = true;
    for (const input of inputs.get(id)!.cells) runnable = visit(input, [...path, id]) && runnable;
    state.set(id, "done");
    if (!runnable && !cycles.has(id)) {
      const blocked = inputs.get(id)!.cells.find((input) => cycles.has(input))!;
      cycles.set(id, cycles.get(blocked)!);
    }
    if (runnable && !cycles.has(id)) order.push(id);
    return runnable && !cycles.has(id);
  };
  for (const cell of cells) visit(cell.id, []);
  return { inputs, cycles, duplicateNames, order };
}

/**
 * The cells to re-run, in order, after `changed` cells' sources changed and `changedTables`
 * were uploaded again: those cells and everything downstream of them, nothing else.
 */
export function cellsToRerun(graph: CellGraph, changed: Iterable<string>, changedTables: Iterable<string> = []): string[] {
  const dirty = new Set(changed);
  const tables = new Set(changedTables);
  for (const id of graph.order) {
    const reads = graph.inputs.get(id)!;
    if (reads.cells.some((input) => dirty.has(input)) || reads.tables.some((table) => tables.has(table))) dirty.add(id);
  }
  return graph.order.filter((id) => dirty.has(id));
}

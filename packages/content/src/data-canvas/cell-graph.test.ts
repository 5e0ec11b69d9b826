import * as Y from "yjs";
import { expect, test } from "vitest";
import { buildCellGraph, cellsToRerun, mentionedNames } from "./cell-graph.ts";
import { addDataCell, listDataCells, removeDataCell, renameDataCell } from "./data-cells.ts";

function notebook(cells: { kind: "sql" | "python" | "javascript" | "chart" | "markdown"; name?: string; source: string }[]) {
  const document = new Y.Doc();
  for (const cell of cells) addDataCell(document, cell);
  const list = listDataCells(document);
  const id = (name: string) => list.find((cell) => cell.name === name)!.id;
  return { document, list, id };
}

test("names are read outside strings and comments, per language", () => {
  expect(mentionedNames({ kind: "sql", source: "select region, sum(amount) from sales -- not from refunds\n/* nor returns */ where note <> 'totals'" })).toEqual(new Set(["select", "region", "sum", "amount", "from", "sales", "where", "note"]));
  expect(mentionedNames({ kind: "sql", source: 'select * from "by region"' }).has("by region")).toBe(true);
  expect(mentionedNames({ kind: "python", source: "frame = totals.head()  # ignore raw\nother = load('sales')\nx = 'refunds'" })).toEqual(new Set(["frame", "totals", "other", "load", "sales", "x"]));
  expect(mentionedNames({ kind: "javascript", source: "// totals\nconst y = rows.length; `refunds`" })).toEqual(new Set(["const", "y", "rows"]));
  expect(mentionedNames({ kind: "chart", source: '{"mark":"bar","data":{"name":"totals"}}' })).toEqual(new Set(["totals"]));
  expect(mentionedNames({ kind: "chart", source: "{broken" })).toEqual(new Set());
  expect(mentionedNames({ kind: "markdown", source: "see totals" })).toEqual(new Set());
});

test("the graph orders cells after what they read, over tables and other cells' results, in any order on the page", () => {
  const { list, id } = notebook([
    { kind: "chart", name: "chart", source: '{"mark":"bar","data":{"name":"totals"}}' },
    { kind: "sql", name: "totals", source: "select region, sum(amount) as total from north group by 1" },
    { kind: "sql", name: "north", source: "select * from sales where region = 'north'" },
    { kind: "markdown", source: "# Notes on totals" },
  ]);
  const graph = buildCellGraph(list, ["sales", "refunds"]);
  expect(graph.order.indexOf(id("north"))).toBeLessThan(graph.order.indexOf(id("totals")));
  expect(graph.order.indexOf(id("totals"))).toBeLessThan(graph.order.indexOf(id("chart")));
  expect(graph.inputs.get(id("north"))).toEqual({ cells: [], tables: ["sales"] });
  expect(graph.inputs.get(id("chart"))).toEqual({ cells: [id("totals")], tables: [] });
});

test("a change re-runs only that cell and what is downstream of it; an upload re-runs its readers", () => {
  const { list, id } = notebook([
    { kind: "sql", name: "north", source: "select * from sales where region = 'north'" },
    { kind: "sql", name: "totals", source: "select sum(amount) from north" },
    { kind: "sql", name: "refund_count", source: "select count(*) from refunds" },
    { kind: "python", name: "report", source: "print(totals)" },
  ]);
  const graph = buildCellGraph(list, ["sales", "refunds"]);
  expect(cellsToRerun(graph, [id("totals")])).toEqual([id("totals"), id("report")]);
  expect(cellsToRerun(graph, [id("refund_count")])).toEqual([id("refund_count")]);
  expect(cellsToRerun(graph, [], ["sales"])).toEqual([id("north"), id("totals"), id("report")]);
  expect(cellsToRerun(graph, [], ["nothing"])).toEqual([]);
});

test("a cell's own result name, not a table of that name, is what later cells read; a table shadows nothing else", () => {
  const { list, id } = notebook([
    { kind: "sql", name: "sales", source: "select 1 as amount" },
    { kind: "sql", name: "total", source: "select sum(amount) from sales" },
  ]);
  const graph = buildCellGraph(list, ["sales"]);
  expect(graph.inputs.get(id("total"))).toEqual({ cells: [id("sales")], tables: [] });
  expect(graph.inputs.get(id("sales"))).toEqual({ cells: [], tables: [] });
});

test("cycles are named and their cells (and cells reading them) do not run; the rest does", () => {
  const { list, id } = notebook([
    { kind: "sql", name: "a", source: "select * from b" },
    { kind: "sql", name: "b", source: "select * from a" },
    { kind: "sql", name: "c", source: "select * from a" },
    { kind: "sql", name: "d", source: "select * from sales" },
  ]);
  const graph = buildCellGraph(list, ["sales"]);
  expect(graph.order).toEqual([id("d")]);
  expect(graph.cycles.get(id("a"))).toEqual(expect.arrayContaining(["a", "b"]));
  expect(graph.cycles.get(id("c"))).toEqual(expect.arrayContaining(["a", "b"]));
});

test("a duplicate name is flagged and the first cell keeps it", () => {
  const { list } = notebook([
    { kind: "sql", name: "x", source: "select 1" },
    { kind: "sql", name: "x", source: "select 2" },
  ]);
  const graph = buildCellGraph(list, []);
  expect([...graph.duplicateNames]).toEqual([list[1]!.id]);
});

test("cells are added, renamed and removed in the shared document; malformed entries from other clients are skipped", () => {
  const document = new Y.Doc();
  const first = addDataCell(document, { kind: "sql", name: "totals", source: "select 1" });
  addDataCell(document, { kind: "markdown", source: "# Title" }, 0);
  expect(listDataCells(document).map((cell) => cell.kind)).toEqual(["markdown", "sql"]);
  expect(() => addDataCell(document, { kind: "sql", name: "1bad" })).toThrow(/cannot name a result/);
  expect(renameDataCell(document, first, "sums")).toBe(true);
  document.getArray("cells").push([new Y.Map(), "junk"]);
  expect(listDataCells(document).map((cell) => cell.name)).toEqual(["", "sums"]);
  expect(removeDataCell(document, first)).toBe(true);
  expect(removeDataCell(document, "unknown")).toBe(false);
  expect(listDataCells(document)).toHaveLength(1);
});

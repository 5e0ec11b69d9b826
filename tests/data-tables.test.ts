import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import fs from "node:fs";
import path from "node:path";
import { runCli } from "./helpers/child-server.ts";
import { api, signUp, startTestServer, temporaryDataDir, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let editor: TestUser;
let viewer: TestUser;
let outsider: TestUser;
let workspaceId: string;
const dataDir = temporaryDataDir();

beforeAll(async () => {
  server = await startTestServer({ dataDir, maxDataUploadBytes: 1024 * 1024 });
  owner = await signUp(server, "owner@example.com");
  editor = await signUp(server, "editor@example.com");
  viewer = await signUp(server, "viewer@example.com");
  outsider = await signUp(server, "outsider@example.com");
  ({ workspaceId } = await workspaceWithCanvas(server, owner, "doc", [[editor, "editor"], [viewer, "viewer"]]));
});
afterAll(() => server.close());

async function upload(user: TestUser, table: string, body: string, query = "", workspace = workspaceId) {
  const response = await fetch(`${server.url}/api/workspaces/${workspace}/data/${table}${query}`, { method: "PUT", headers: { authorization: `Bearer ${user.token}` }, body });
  return { status: response.status, body: (await response.json()) as any };
}

const sales = "region,amount,sold_on\nnorth,10,2026-01-02\nsouth,5,2026-01-03\nnorth,7,2026-02-01\n";

test("an uploaded CSV becomes a table with its inferred schema, row count and source; everyone sees a preview", async () => {
  const created = await upload(editor, "sales", sales, "?fileName=Sales.csv");
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    name: "sales",
    rowCount: 3,
    columns: [{ name: "region", type: "VARCHAR" }, { name: "amount", type: "BIGINT" }, { name: "sold_on", type: "DATE" }],
    source: { fileName: "Sales.csv", format: "csv", bytes: sales.length, importedBy: editor.id },
  });

  const list = await api(server, viewer, "GET", `/api/workspaces/${workspaceId}/data`);
  expect(list.status).toBe(200);
  expect(list.body.items.map((table: { name: string }) => table.name)).toEqual(["sales"]);

  const preview = await api(server, viewer, "GET", `/api/workspaces/${workspaceId}/data/sales?limit=2&offset=1`);
  expect(preview.body.rows).toEqual([["south", "5", "2026-01-03"], ["north", "7", "2026-02-01"]]);
  expect(preview.body.table.rowCount).toBe(3);
});

test("TSV, JSON, NDJSON each import by their file name's format", async () => {
  expect((await upload(editor, "people_tsv", "name\tage\nAda\t36\nAlan\t41\n", "?fileName=people.tsv")).body).toMatchObject({ rowCount: 2, columns: [{ name: "name" }, { name: "age", type: "BIGINT" }] });
  expect((await upload(editor, "people_json", '[{"name":"Ada","age":36},{"name":"Alan","age":41}]', "?fileName=people.json")).body).toMatchObject({ rowCount: 2 });
  expect((await upload(editor, "people_ndjson", '{"name":"Ada","age":36}\n{"name":"Alan","age":41}\n', "?format=ndjson")).body).toMatchObject({ rowCount: 2 });
});

test("a broken CSV is refused with its line and column, and the table it would replace stays as it was", async () => {
  const broken = await upload(editor, "sales", "region,amount,sold_on\nnorth,10,2026-01-02\nsouth,5,2026-01-03,extra\n", "?fileName=sales.csv");
  expect(broken.status).toBe(400);
  expect(broken.body.error.message).toContain("line 3");
  expect(broken.body.error.message).toContain("column 4");
  expect(broken.body.error.message).not.toContain("/");
  const kept = await api(server, viewer, "GET", `/api/workspaces/${workspaceId}/data/sales`);
  expect(kept.body.table.rowCount).toBe(3);

  // A value that does not fit the column's type far down the file names its line too.
  const late = "region,amount\n" + Array.from({ length: 30_000 }, (_, index) => `r${index},${index}`).join("\n") + "\nnorth,lots\n";
  const lateError = await upload(editor, "late", late, "?fileName=late.csv");
  expect(lateError.status).toBe(400);
  expect(lateError.body.error.message).toMatch(/Line: 30002|line 30002/);
  expect((await api(server, viewer, "GET", `/api/workspaces/${workspaceId}/data`)).body.items.map((table: { name: string }) => table.name)).not.toContain("late");
});

test("re-uploading replaces the table", async () => {
  await upload(editor, "swap", "a\n1\n", "?fileName=swap.csv");
  const replaced = await upload(editor, "swap", "a,b\n1,2\n3,4\n", "?fileName=swap.csv");
  expect(replaced.body).toMatchObject({ rowCount: 2, columns: [{ name: "a" }, { name: "b" }] });
});

test("queries read the tables; only SELECT runs; viewers and outsiders cannot query or upload", async () => {
  const totals = await api(server, editor, "POST", `/api/workspaces/${workspaceId}/data/query`, { sql: "select region, sum(amount) as total from sales group by region order by region" });
  expect(totals.status).toBe(200);
  expect(totals.body.rows).toEqual([["north", "17"], ["south", "5"]]);

  const drop = await api(server, editor, "POST", `/api/workspaces/${workspaceId}/data/query`, { sql: "drop table sales" });
  expect(drop.status).toBe(400);
  expect(drop.body.error.message).toContain("Only SELECT");
  const passwd = await api(server, editor, "POST", `/api/workspaces/${workspaceId}/data/query`, { sql: "select * from read_text('/etc/passwd')" });
  expect(passwd.status).toBe(400);
  expect(JSON.stringify(passwd.body)).not.toContain("root:");

  expect((await api(server, viewer, "POST", `/api/workspaces/${workspaceId}/data/query`, { sql: "select 1" })).status).toBe(403);
  expect((await upload(viewer, "nope", "a\n1\n", "?format=csv")).status).toBe(403);
  expect((await api(server, outsider, "GET", `/api/workspaces/${workspaceId}/data`)).status).toBe(404);
  expect((await api(server, outsider, "GET", `/api/workspaces/${workspaceId}/data/sales`)).status).toBe(404);
  expect((await upload(outsider, "nope", "a\n1\n", "?format=csv")).status).toBe(404);
});

test("another workspace's tables cannot be read, by name or by file", async () => {
  const other = await api(server, outsider, "POST", "/api/workspaces", { name: "Other" });
  expect((await upload(outsider, "secrets", "code\nswordfish\n", "?format=csv", other.body.id)).status).toBe(201);
  for (const sql of ["select * from secrets", `select * from read_csv('../${other.body.id}/secrets.csv')`, `select * from '${other.body.id}/secrets.csv'`]) {
    const result = await api(server, editor, "POST", `/api/workspaces/${workspaceId}/data/query`, { sql });
    expect(result.status, sql).toBe(400);
    expect(JSON.stringify(result.body), sql).not.toContain("swordfish");
  }
});

test("bad uploads are clear errors that change nothing: no format, too large, bad table name, empty", async () => {
  expect((await upload(editor, "mystery", "a\n1\n")).status).toBe(415);
  const large = await upload(editor, "large", "a\n" + "1\n".repeat(600_000), "?format=csv");
  expect(large.status).toBe(413);
  expect((await upload(editor, "1bad-name", "a\n1\n", "?format=csv")).status).toBe(400);
  expect((await upload(editor, "empty", "", "?format=csv")).status).toBe(400);
  const names = (await api(server, viewer, "GET", `/api/workspaces/${workspaceId}/data`)).body.items.map((table: { name: string }) => table.name);
  expect(names).not.toContain("mystery");
  expect(names).not.toContain("large");
  expect(names).not.toContain("empty");
});

test("a long query is stopped at the time limit; the workspace keeps answering", async () => {
  const slow = await startTestServer({ sqlTimeoutSeconds: 1 });
  try {
    const person = await signUp(slow, "slow@example.com");
    const workspace = await api(slow, person, "POST", "/api/workspaces", { name: "Slow" });
    const result = await api(slow, person, "POST", `/api/workspaces/${workspace.body.id}/data/query`, { sql: "select count(*) from range(1000000000000)" });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe("limit_exceeded");
    expect((await api(slow, person, "POST", `/api/workspaces/${workspace.body.id}/data/query`, { sql: "select 42" })).body.rows).toEqual([[42]]);
  } finally {
    await slow.close();
  }
});

test("deleting a table or the workspace removes its data", async () => {
  expect((await api(server, editor, "DELETE", `/api/workspaces/${workspaceId}/data/swap`)).status).toBe(204);
  expect((await api(server, viewer, "GET", `/api/workspaces/${workspaceId}/data/swap`)).status).toBe(404);
  expect((await api(server, owner, "DELETE", `/api/workspaces/${workspaceId}`)).status).toBe(204);
});

test("cocanvas data import loads a file while the server runs; the app lists the table", async () => {
  const workspace = await api(server, owner, "POST", "/api/workspaces", { name: "From the CLI" });
  const file = path.join(dataDir, "Cities 2026.tsv");
  fs.writeFileSync(file, "city\tpeople\nOslo\t709000\nBergen\t291000\n");
  const imported = await runCli(["data", "import", file, "--workspace", workspace.body.id, "--data-dir", dataDir]);
  expect(imported.stderr).not.toContain("Error");
  expect(imported.code).toBe(0);
  expect(imported.stdout).toContain("cities_2026: 2 rows, city VARCHAR, people BIGINT");
  expect(fs.existsSync(file)).toBe(true);
  const list = await api(server, owner, "GET", `/api/workspaces/${workspace.body.id}/data`);
  expect(list.body.items).toMatchObject([{ name: "cities_2026", rowCount: 2, source: { fileName: "Cities 2026.tsv", format: "tsv" } }]);

  const broken = path.join(dataDir, "broken.csv");
  fs.writeFileSync(broken, "a,b\n1,2\n3\n");
  const refused = await runCli(["data", "import", broken, "--workspace", workspace.body.id, "--data-dir", dataDir]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("line 3");
  expect((await runCli(["data", "import", broken, "--workspace", "nope", "--data-dir", dataDir])).stderr).toContain("No workspace has the id nope");
}, 120_000);

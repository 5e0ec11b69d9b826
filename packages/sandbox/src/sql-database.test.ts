import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { SqlDatabase } from "./sql-database.ts";

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-test-sql-"));
const dataDir = path.join(folder, "workspace-a");
const otherDir = path.join(folder, "workspace-b");
let database: SqlDatabase;

beforeAll(async () => {
  fs.mkdirSync(dataDir);
  fs.mkdirSync(otherDir);
  fs.writeFileSync(path.join(dataDir, "sales.csv"), "region,amount\nnorth,10\nsouth,5\nnorth,7\n");
  fs.writeFileSync(path.join(otherDir, "private.csv"), "secret\nb's data\n");
  database = await SqlDatabase.open({ file: path.join(folder, "a.duckdb"), dataDir, limits: { timeoutMs: 2_000 } });
  await database.importTable("sales", path.join(dataDir, "sales.csv"), "csv");
});
afterAll(() => {
  database.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test("an imported file is a table with its schema and row count; queries read it", async () => {
  expect(await database.tables()).toEqual([{ name: "sales", columns: [{ name: "region", type: "VARCHAR" }, { name: "amount", type: "BIGINT" }], rowCount: 3, comment: null }]);
  const result = await database.query("select region, sum(amount) as total from sales group by region order by region");
  expect(result).toMatchObject({ columns: [{ name: "region" }, { name: "total" }], rows: [["north", "17"], ["south", "5"]], rowCount: 2, truncated: false });
});

test("a named result is a table later queries use", async () => {
  await database.saveResult("north_only", "select * from sales where region = 'north'");
  expect((await database.query("select count(*) from north_only")).rows).toEqual([["2"]]);
});

test("results are cut at maxRows and say so", async () => {
  const result = await database.query("select * from range(100)", { maxRows: 10 });
  expect(result.rows).toHaveLength(10);
  expect(result.truncated).toBe(true);
});

test("only SELECT runs: writes, DDL, COPY, ATTACH, INSTALL and SET are refused and change nothing", async () => {
  for (const sql of [
    "drop table sales",
    "delete from sales",
    "create table x as select 1",
    `copy sales to '${path.join(dataDir, "out.csv")}'`,
    `attach '${path.join(folder, "other.duckdb")}'`,
    "install httpfs",
    "set enable_external_access = true",
    "select 1; drop table sales",
  ]) {
    await expect(database.query(sql), sql).rejects.toMatchObject({ code: "refused" });
  }
  expect((await database.query("select count(*) from sales")).rows).toEqual([["3"]]);
  expect(fs.existsSync(path.join(dataDir, "out.csv"))).toBe(false);
});

test("cannot read /etc/passwd, another workspace's files or the network", async () => {
  for (const sql of [
    "select * from read_text('/etc/passwd')",
    `select * from read_csv('${path.join(otherDir, "private.csv")}')`,
    `select * from read_csv('${dataDir}/../workspace-b/private.csv')`,
    "select * from read_csv('http://127.0.0.1:9/x.csv')",
  ]) {
    const error = await database.query(sql).then(() => null, (caught: Error & { code: string }) => caught);
    expect(error, sql).toMatchObject({ code: "refused" });
    expect(error!.message).not.toContain("private.csv");
  }
});

test("a long query is interrupted at its deadline", async () => {
  await expect(database.query("select count(*) from range(100000000000) a", { timeoutMs: 300 })).rejects.toMatchObject({ code: "timeout" });
  expect((await database.query("select 1")).rows).toEqual([[1]]);
});

test("a syntax error is a clear error naming where", async () => {
  await expect(database.query("selec region from sales")).rejects.toMatchObject({ code: "bad_input", message: expect.stringMatching(/syntax error/i) });
});

test("imports only from the workspace's own folder", async () => {
  await expect(database.importTable("stolen", path.join(otherDir, "private.csv"), "csv")).rejects.toMatchObject({ code: "refused" });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { SandboxError, SqlDatabase, type ImportFormat, type SqlLimits, type SqlResult, type TableInfo } from "@cocanvas/sandbox";
import type { Config } from "../config.ts";
import { findCsvShapeProblem } from "./csv-shape.ts";

/** A workspace's table with where it came from. */
export interface DataTable extends Omit<TableInfo, "comment"> {
  source: { fileName: string; format: ImportFormat; bytes: number; importedBy: string | null; importedAt: string } | null;
}

/** The SQL limits the configuration asks for. */
export function sqlLimitsFrom(config: Pick<Config, "sqlMemoryLimit" | "sqlThreads" | "sqlTimeoutSeconds">): Partial<SqlLimits> {
  return { memoryLimit: config.sqlMemoryLimit, threads: config.sqlThreads || os.availableParallelism(), timeoutMs: config.sqlTimeoutSeconds * 1000 };
}

export interface WorkspaceDataOptions {
  /** The server's data folder; each workspace's tables live in `data/<workspace id>/`. */
  dataDir: string;
  limits?: Partial<SqlLimits>;
  /** A workspace's database is closed this long after its last use, so the CLI can open it. */
  idleCloseMs?: number;
}

const workspaceIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
/** How long to wait for a database another process (the CLI, or the server) has open. */
const lockWaitMs = 30_000;

/**
 * The tables of each workspace: files people upload (CSV, TSV, JSON, NDJSON, Parquet)
 * imported into the workspace's own DuckDB database (`@cocanvas/sandbox`), which queries
 * from people and agents read with external access off. The uploaded file is kept beside
 * it, so a table can be imported again.
 */
export class WorkspaceData {
  private readonly open = new Map<string, { database: Promise<SqlDatabase>; users: number; idle?: NodeJS.Timeout }>();
  private readonly dataDir: string;
  private readonly idleCloseMs: number;

  constructor(private readonly options: WorkspaceDataOptions) {
    this.dataDir = path.join(options.dataDir, "data");
    this.idleCloseMs = options.idleCloseMs ?? 10_000;
  }

  /** The folder holding a workspace's database and uploaded files. */
  folder(workspaceId: string): string {
    if (!workspaceIdPattern.test(workspaceId)) throw new SandboxError("bad_input", "Not a workspace id.");
    return path.join(this.dataDir, workspaceId);
  }

  /**
   * Makes `table` from a file (moved into the workspace's folder). A file that does not
   * parse is refused with the line and column where it breaks, and the old table stays.
   */
  async importFile(input: { workspaceId: string; table: string; file: string; fileName: string; format: ImportFormat; userId: string | null; onProgress?: (fraction: number) => void }): Promise<DataTable> {
    const folder = this.folder(input.workspaceId);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const incoming = path.join(folder, `.incoming-${randomUUID()}.${input.format}`);
    fs.renameSync(input.file, incoming);
    const bytes = fs.statSync(incoming).size;
    const source = { fileName: input.fileName, format: input.format, bytes, importedBy: input.userId, importedAt: new Date().toISOString() };
    try {
      await this.using(input.workspaceId, (database) => database.importTable(input.table, incoming, input.format, JSON.stringify(source), input.onProgress));
    } catch (error) {
      if (error instanceof SandboxError && error.code === "bad_input" && (input.format === "csv" || input.format === "tsv")) {
        const problem = await findCsvShapeProblem(incoming, input.format === "csv" ? "," : "\t");
        fs.rmSync(incoming, { force: true });
        if (problem) throw new SandboxError("bad_input", `${input.fileName} cannot be read: ${problem.message} (line ${problem.line}, column ${problem.column}). Nothing was changed.`);
      }
      fs.rmSync(incoming, { force: true });
      if (error instanceof SandboxError && error.code === "bad_input") throw new SandboxError("bad_input", `${input.fileName} cannot be read: ${error.message.replaceAll(incoming, input.fileName).replaceAll(path.basename(incoming), input.fileName)} Nothing was changed.`);
      throw error;
    }
    for (const old of fs.readdirSync(folder).filter((name) => name.startsWith(`${input.table}.`))) fs.rmSync(path.join(folder, old), { force: true });
    fs.renameSync(incoming, path.join(folder, `${input.table}.${input.format}`));
    return this.table(input.workspaceId, input.table);
  }

  async tables(workspaceId: string): Promise<DataTable[]> {
    if (!this.exists(workspaceId)) return [];
    return (await this.using(workspaceId, (database) => database.tables())).map(withSource);
  }

  async table(workspaceId: string, table: string): Promise<DataTable> {
    if (!this.exists(workspaceId)) throw new SandboxError("not_found", `There is no table named ${table}.`);
    return withSource(await this.using(workspaceId, (database) => database.describe(table)));
  }

  /** A page of a table's rows. */
  async rows(workspaceId: string, table: string, page: { offset: number; limit: number }): Promise<SqlResult> {
    if (!this.exists(workspaceId)) throw new SandboxError("not_found", `There is no table named ${table}.`);
    return this.using(workspaceId, (database) => database.rows(table, page));
  }

  /** Runs a read-only query over the workspace's tables (see SqlDatabase.query). */
  async query(workspaceId: string, sql: string, options: { timeoutMs?: number; maxRows?: number } = {}): Promise<SqlResult> {
    fs.mkdirSync(this.folder(workspaceId), { recursive: true, mode: 0o700 });
    return this.using(workspaceId, (database) => database.query(sql, options));
  }

  async dropTable(workspaceId: string, table: string): Promise<void> {
    await this.table(workspaceId, table);
    await this.using(workspaceId, (database) => database.dropTable(table));
    const folder = this.folder(workspaceId);
    for (const old of fs.readdirSync(folder).filter((name) => name.startsWith(`${table}.`))) fs.rmSync(path.join(folder, old), { force: true });
  }

  /** Removes everything a deleted workspace had. */
  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.closeDatabase(workspaceId);
    fs.rmSync(this.folder(workspaceId), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((workspaceId) => this.closeDatabase(workspaceId)));
  }

  private exists(workspaceId: string): boolean {
    return fs.existsSync(path.join(this.folder(workspaceId), "tables.duckdb"));
  }

  private async using<T>(workspaceId: string, work: (database: SqlDatabase) => Promise<T>): Promise<T> {
    let entry = this.open.get(workspaceId);
    if (!entry) {
      const database = openWaitingForLock(path.join(this.folder(workspaceId), "tables.duckdb"), this.folder(workspaceId), this.options.limits);
      entry = { database, users: 0 };
      this.open.set(workspaceId, entry);
      database.catch(() => this.open.delete(workspaceId));
    }
    clearTimeout(entry.idle);
    entry.users++;
    try {
      return await work(await entry.database);
    } finally {
      entry.users--;
      if (entry.users === 0) entry.idle = setTimeout(() => void this.closeDatabase(workspaceId), this.idleCloseMs);
    }
  }

  private async closeDatabase(workspaceId: string): Promise<void> {
    const entry = this.open.get(workspaceId);
    if (!entry || entry.users > 0) return;
    clearTimeout(entry.idle);
    this.open.delete(workspaceId);
    (await entry.database.catch(() => null))?.close();
  }
}

function withSource({ comment, ...table }: TableInfo): DataTable {
  let source: DataTable["source"] = null;
  try {
    source = comment ? JSON.parse(comment) : null;
  } catch {
    source = null;
  }
  return { ...table, source };
}

/** Opens a database file, waiting while another process (the CLI or the server) holds it. */
async function openWaitingForLock(file: string, dataDir: string, limits?: Partial<SqlLimits>): Promise<SqlDatabase> {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      return await SqlDatabase.open({ file, dataDir, limits });
    } catch (error) {
      if (!/lock/i.test((error as Error).message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

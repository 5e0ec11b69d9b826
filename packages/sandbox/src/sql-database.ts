import path from "node:path";
import { DuckDBInstance, StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { SandboxError } from "./sandbox-error.ts";

/** Limits of one workspace's SQL engine. */
export interface SqlLimits {
  /** DuckDB's memory limit for the whole database, e.g. "512MB". */
  memoryLimit: string;
  /** Worker threads DuckDB may use. */
  threads: number;
  /** Longest a query may run before it is interrupted. */
  timeoutMs: number;
  /** Most rows a query returns (the rest are counted, not sent). */
  maxRows: number;
}

export const defaultSqlLimits: SqlLimits = { memoryLimit: "512MB", threads: 1, timeoutMs: 30_000, maxRows: 10_000 };

/** Rows of a query, with its column names and DuckDB types. */
export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  /** Rows the query produced, also when more than `rows` holds. */
  rowCount: number;
  truncated: boolean;
}

/** A table of the workspace, as people and agents see it. */
export interface TableInfo {
  name: string;
  columns: { name: string; type: string }[];
  rowCount: number;
  /** What the server noted about the table when it made it (e.g. where it came from), or null. */
  comment: string | null;
}

export type ImportFormat = "csv" | "tsv" | "json" | "ndjson" | "parquet";

const tableName = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * One workspace's embedded DuckDB database. What people and agents write runs with
 * external access off (no files but the workspace's own data folder, no network, no
 * extension installs; `lock_configuration` keeps it so), only as read-only `SELECT`s,
 * under a memory limit and a per-query deadline. Tables are created by the server
 * itself (`importTable`, `saveResult`), never by a query.
 *
 * @example
 * const database = await SqlDatabase.open({ file: "ws.duckdb", dataDir: "uploads/" });
 * await database.importTable("sales", "uploads/sales.csv", "csv");
 * const result = await database.query("select region, sum(amount) from sales group by 1");
 */
export class SqlDatabase {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly dataDir: string,
    readonly limits: SqlLimits,
  ) {}

  /** Opens (or creates) the database file; `dataDir` is the only folder queries and imports may read. */
  static async open(options: { file: string; dataDir: string; limits?: Partial<SqlLimits> }): Promise<SqlDatabase> {
    const limits = { ...defaultSqlLimits, ...options.limits };
    const dataDir = path.resolve(options.dataDir) + path.sep;
    const instance = await DuckDBInstance.create(options.file, {
      memory_limit: limits.memoryLimit,
      threads: String(limits.threads),
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    });
    const connection = await instance.connect();
    await connection.run(`SET allowed_directories = [${quote(dataDir)}]`);
    // Progress of long imports is read through the connection (never printed).
    await connection.run("SET enable_progress_bar = true");
    await connection.run("SET enable_progress_bar_print = false");
    await connection.run("SET enable_external_access = false");
    await connection.run("SET lock_configuration = true");
    return new SqlDatabase(instance, connection, dataDir, limits);
  }

  /**
   * Runs one or more read-only statements (the last one's rows are returned). Anything
   * but `SELECT` is refused before it runs; a query past the deadline is interrupted.
   */
  async query(sql: string, options: { timeoutMs?: number; maxRows?: number } = {}): Promise<SqlResult> {
    const timeoutMs = options.timeoutMs ?? this.limits.timeoutMs;
    const maxRows = options.maxRows ?? this.limits.maxRows;
    const statements = await this.run(() => this.connection.extractStatements(sql));
    if (statements.count === 0) throw new SandboxError("bad_input", "The query is empty.");
    let result: SqlResult | undefined;
    for (let index = 0; index < statements.count; index++) {
      const prepared = await this.run(() => statements.prepare(index));
      if (prepared.statementType !== StatementType.SELECT) {
        throw new SandboxError("refused", `Only SELECT queries can run here (statement ${index + 1} is ${StatementType[prepared.statementType]}); tables come from uploads and named results.`);
      }
      result = await this.withDeadline(timeoutMs, async () => {
        const reader = await prepared.runAndReadUntil(maxRows + 1);
        const rows = reader.getRowsJson() as unknown[][];
        return {
          columns: reader.columnNames().map((name, column) => ({ name, type: String(reader.columnTypes()[column]) })),
          rows: rows.slice(0, maxRows),
          rowCount: reader.currentRowCount,
          truncated: rows.length > maxRows,
        };
      });
    }
    return result!;
  }

  /**
   * Creates or replaces `table` from a file in the data folder, in one statement: a file
   * that does not parse leaves the old table as it was. `comment` is kept with the table.
   */
  async importTable(table: string, file: string, format: ImportFormat, comment?: string, onProgress?: (fraction: number) => void): Promise<TableInfo> {
    checkTableName(table);
    const source = path.resolve(file);
    if (!source.startsWith(this.dataDir)) throw new SandboxError("refused", "Imports read only from the workspace's data folder.");
    const reader =
      format === "csv" ? `read_csv(${quote(source)}, delim = ',', quote = '"', header = true, skip = 0, strict_mode = true)`
      : format === "tsv" ? `read_csv(${quote(source)}, delim = '\t', quote = '"', header = true, skip = 0, strict_mode = true)`
      : format === "json" ? `read_json_auto(${quote(source)}, format = 'array')`
      : format === "ndjson" ? `read_json_auto(${quote(source)}, format = 'newline_delimited')`
      : `read_parquet(${quote(source)})`;
    const watch = onProgress && setInterval(() => {
      const { percentage } = this.connection.progress;
      if (percentage >= 0) onProgress(Math.min(1, percentage / 100));
    }, 200);
    try {
      await this.withDeadline(this.limits.timeoutMs * 10, () => this.connection.run(`CREATE OR REPLACE TABLE ${identifier(table)} AS SELECT * FROM ${reader}`));
    } finally {
      clearInterval(watch);
    }
    onProgress?.(1);
    if (comment !== undefined) await this.connection.run(`COMMENT ON TABLE ${identifier(table)} IS ${quote(comment)}`);
    return this.describe(table);
  }

  /** Keeps a query's result under a name, so later queries can use it like a table. */
  async saveResult(name: string, sql: string, options: { timeoutMs?: number } = {}): Promise<TableInfo> {
    checkTableName(name);
    await this.query(sql, { maxRows: 0, timeoutMs: options.timeoutMs }); // checks it is a SELECT and that it runs
    await this.withDeadline(options.timeoutMs ?? this.limits.timeoutMs, () => this.connection.run(`CREATE OR REPLACE TABLE ${identifier(name)} AS ${sql.trim().replace(/;\s*$/, "")}`));
    return this.describe(name);
  }

  /** The tables, their columns and row counts. */
  async tables(): Promise<TableInfo[]> {
    const reader = await this.connection.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name");
    return Promise.all((reader.getRowsJson() as string[][]).map(([name]) => this.describe(name!)));
  }

  /** Rows of a table, a page at a time (in the table's own order). */
  async rows(table: string, page: { offset: number; limit: number }): Promise<SqlResult> {
    checkTableName(table);
    await this.describe(table);
    return this.query(`SELECT * FROM ${identifier(table)} LIMIT ${Math.max(0, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}`, { maxRows: page.limit });
  }

  async describe(table: string): Promise<TableInfo> {
    checkTableName(table);
    const tableRow = await this.connection.runAndReadAll(`SELECT comment FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ${quote(table)}`);
    const comment = ((tableRow.getRowsJson() as (string | null)[][])[0]?.[0] ?? null) || null;
    const columns = await this.connection.runAndReadAll(`SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ${quote(table)} ORDER BY column_index`);
    const columnRows = columns.getRowsJson() as string[][];
    if (columnRows.length === 0) throw new SandboxError("not_found", `There is no table named ${table}.`);
    const count = await this.connection.runAndReadAll(`SELECT count(*) FROM ${identifier(table)}`);
    return { name: table, columns: columnRows.map(([name, type]) => ({ name: name!, type: type! })), rowCount: Number((count.getRowsJson() as string[][])[0]![0]), comment };
  }

  async dropTable(table: string): Promise<void> {
    checkTableName(table);
    await this.connection.run(`DROP TABLE IF EXISTS ${identifier(table)}`);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async withDeadline<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
    }, timeoutMs);
    try {
      return await this.run(work);
    } catch (error) {
      if (timedOut) throw new SandboxError("timeout", `The query ran longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** DuckDB's own errors become bad-input errors, with its message (it names the line and column of a parse error). */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      const message = (error as Error).message;
      if (/Out of Memory/i.test(message)) throw new SandboxError("memory", `The query needed more than the ${this.limits.memoryLimit} it may use.`);
      if (/^Permission Error/.test(message)) throw new SandboxError("refused", message.replace(/"[^"]*"/, "a file outside the workspace's data"));
      throw new SandboxError("bad_input", readableError(message.replaceAll(this.dataDir, "")));
    }
  }
}

/** DuckDB's message without the SQL the server wrapped around it and its generic advice. */
function readableError(message: string): string {
  return message
    .split("\n")
    .filter((line) => !/^LINE \d+:/.test(line) && !/^\s*\^\s*$/.test(line))
    .join("\n")
    .replace(/\n*Possible (solutions|fixes):[\s\S]*$/, "")
    .trim();
}

function checkTableName(name: string): void {
  if (!tableName.test(name)) throw new SandboxError("bad_input", `"${name}" is not a table name: use letters, digits and _ (starting with a letter), at most 63.`);
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const identifier = (name: string) => `"${name}"`;

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import type { Command, Option } from "commander";
import { ApiError } from "@cocanvas/protocol";
import { SandboxError } from "@cocanvas/sandbox";
import type { Config } from "../config.ts";
import { formatOf, importFormats, sqlLimitsFrom, tableNameFor, WorkspaceData } from "../data/index.ts";
import type { Storage } from "../storage/storage.ts";
import { progressBar } from "./progress.ts";

interface Helpers {
  dataDirOption(): Option;
  withData(options: { dataDir?: string }, work: (data: { storage: Storage; config: Config }) => Promise<void>): Promise<void>;
}

/** `cocanvas data import|list`: a workspace's tables from the command line. */
export function addDataCommands(program: Command, { dataDirOption, withData }: Helpers) {
  const data = program.command("data").description("a workspace's tables (CSV, TSV, JSON, NDJSON, Parquet in DuckDB)");

  data
    .command("import <file>")
    .description("import a file as a table of the workspace (replaces a table of that name); the server may keep running")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--table <name>", "table name (default: from the file name)")
    .option("--format <format>", `one of ${importFormats.join(", ")} (default: from the file's extension)`)
    .addOption(dataDirOption())
    .action(async (file: string, options: { workspace: string; table?: string; format?: string; dataDir?: string }) => {
      await withData(options, async ({ storage, config }) => {
        if (!(await storage.getWorkspace(options.workspace))) throw new ApiError("not_found", `No workspace has the id ${options.workspace}.`);
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ApiError("not_found", `${file} is not a file.`);
        if (options.format && !importFormats.includes(options.format as never)) throw new ApiError("invalid_request", `--format must be one of ${importFormats.join(", ")}.`);
        const format = (options.format as (typeof importFormats)[number] | undefined) ?? formatOf(file);
        if (!format) throw new ApiError("invalid_request", `Cannot tell the format of ${path.basename(file)}: pass --format (${importFormats.join(", ")}).`);
        const size = fs.statSync(file).size;
        if (size > config.maxDataUploadBytes) throw new ApiError("payload_too_large", `${path.basename(file)} is ${size} bytes; data files are limited to ${config.maxDataUploadBytes} (COCANVAS_MAX_DATA_UPLOAD_BYTES).`);
        const table = options.table ?? tableNameFor(file);

        // Copy (with progress), then import (DuckDB's own progress): the original stays where it was.
        const copy = path.join(os.tmpdir(), `cocanvas-import-${randomUUID()}`);
        const copying = progressBar(`Copying ${path.basename(file)}`, "bytes");
        let copied = 0;
        await pipeline(
          fs.createReadStream(file),
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              copied += chunk.length;
              copying.update(copied, size);
              done(null, chunk);
            },
          }),
          fs.createWriteStream(copy, { mode: 0o600 }),
        );
        copying.stop();
        const workspaceData = new WorkspaceData({ dataDir: config.dataDir, limits: sqlLimitsFrom(config) });
        const importing = progressBar(`Importing ${table}`, "pages");
        try {
          const imported = await workspaceData.importFile({
            workspaceId: options.workspace,
            table,
            file: copy,
            fileName: path.basename(file),
            format,
            userId: null,
            onProgress: (fraction) => importing.update(Math.round(fraction * 100), 100),
          });
          importing.stop();
          console.log(`${imported.name}: ${imported.rowCount} rows, ${imported.columns.map((column) => `${column.name} ${column.type}`).join(", ")}`);
        } catch (error) {
          importing.stop();
          if (error instanceof SandboxError) throw new ApiError("invalid_request", error.message);
          throw error;
        } finally {
          fs.rmSync(copy, { force: true });
          await workspaceData.close();
        }
      });
    });

  data
    .command("list")
    .description("the workspace's tables with their row counts and columns")
    .requiredOption("--workspace <id>", "workspace id")
    .addOption(dataDirOption())
    .action(async (options: { workspace: string; dataDir?: string }) => {
      await withData(options, async ({ storage, config }) => {
        if (!(await storage.getWorkspace(options.workspace))) throw new ApiError("not_found", `No workspace has the id ${options.workspace}.`);
        const workspaceData = new WorkspaceData({ dataDir: config.dataDir });
        try {
          for (const table of await workspaceData.tables(options.workspace)) {
            console.log(`${table.name}\t${table.rowCount} rows\t${table.columns.map((column) => `${column.name} ${column.type}`).join(", ")}`);
          }
        } finally {
          await workspaceData.close();
        }
      });
    });
}

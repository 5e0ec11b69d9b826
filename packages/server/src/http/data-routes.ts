import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { ApiError } from "@cocanvas/protocol";
import { SandboxError } from "@cocanvas/sandbox";
import { formatOf, importFormats } from "../data/index.ts";
import type { Services } from "../services.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";

const QueryBody = z.strictObject({ sql: z.string().min(1).max(100_000) });
const tableParam = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A workspace's tables: upload a file as a table, list, page through rows, query, delete. */
export function addDataRoutes(api: ApiRouter, services: Services): void {
  const { access, config, workspaceData } = services;
  const userId = (context: ApiContext) => context.get("user")!.id;
  const workspaceFor = (context: ApiContext, role: "viewer" | "editor") => access.requireWorkspace(userId(context), context.req.param("id")!, role);
  const tableName = (context: ApiContext) => {
    const name = context.req.param("table")!;
    if (!tableParam.test(name)) throw new ApiError("invalid_request", "A table name has letters, digits and _ (starting with a letter or _), at most 63.");
    return name;
  };

  api.add("get", "/api/workspaces/{id}/data", { summary: "The workspace's tables: columns, row counts, where each came from", role: "viewer" }, async (context) => {
    const { workspace } = await workspaceFor(context, "viewer");
    return context.json({ items: await answer(() => workspaceData.tables(workspace.id)) });
  });

  api.add(
    "put",
    "/api/workspaces/{id}/data/{table}",
    {
      summary: "Upload a file as the table (the request body is the file: CSV, TSV, JSON array, NDJSON or Parquet); replaces a table of that name",
      role: "editor",
      query: { fileName: "The file's name (its extension names the format)", format: `One of ${importFormats.join(", ")} (else from fileName or Content-Type)` },
    },
    async (context) => {
      const { workspace } = await workspaceFor(context, "editor");
      const table = tableName(context);
      const fileName = (context.req.query("fileName") ?? `${table}`).slice(0, 200);
      const requested = context.req.query("format");
      if (requested !== undefined && !importFormats.includes(requested as never)) throw new ApiError("invalid_request", `format must be one of ${importFormats.join(", ")}.`);
      const format = (requested as (typeof importFormats)[number] | undefined) ?? formatOf(fileName, context.req.header("content-type"));
      if (!format) throw new ApiError("unsupported_media_type", `Say the file's format: ?format= one of ${importFormats.join(", ")}, a fileName with that extension, or its Content-Type.`);
      const declared = Number(context.req.header("content-length") ?? "0");
      if (declared > config.maxDataUploadBytes) throw new ApiError("payload_too_large", `Data files are limited to ${config.maxDataUploadBytes} bytes.`);
      if (!context.req.raw.body) throw new ApiError("invalid_request", "Send the file as the request body.");
      const file = path.join(os.tmpdir(), `cocanvas-upload-${randomUUID()}`);
      try {
        await receive(context.req.raw.body, file, config.maxDataUploadBytes);
        if (fs.statSync(file).size === 0) throw new ApiError("invalid_request", "The file is empty.");
        const imported = await answer(() => workspaceData.importFile({ workspaceId: workspace.id, table, file, fileName, format, userId: userId(context) }));
        return context.json(imported, 201);
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
  );

  api.add("get", "/api/workspaces/{id}/data/{table}", { summary: "A table and a page of its rows", role: "viewer", query: { offset: "First row (default 0)", limit: "Rows (default 100, at most 1000)" } }, async (context) => {
    const { workspace } = await workspaceFor(context, "viewer");
    const table = tableName(context);
    const offset = Math.max(0, Number(context.req.query("offset") ?? 0) || 0);
    const limit = Math.min(1000, Math.max(1, Number(context.req.query("limit") ?? 100) || 100));
    const info = await answer(() => workspaceData.table(workspace.id, table));
    const page = await answer(() => workspaceData.rows(workspace.id, table, { offset, limit }));
    return context.json({ table: info, columns: page.columns, rows: page.rows, offset });
  });

  api.add("delete", "/api/workspaces/{id}/data/{table}", { summary: "Delete a table and its file", role: "editor", success: 204 }, async (context) => {
    const { workspace } = await workspaceFor(context, "editor");
    await answer(() => workspaceData.dropTable(workspace.id, tableName(context)));
    return context.body(null, 204);
  });

  api.add("post", "/api/workspaces/{id}/data/query", { summary: "Run a read-only SQL query (SELECT) over the workspace's tables", role: "editor", body: QueryBody }, async (context, body) => {
    const { workspace } = await workspaceFor(context, "editor");
    return context.json(await answer(() => workspaceData.query(workspace.id, body.sql)));
  });
}

/** Streams a request body into a file, refusing it once it passes `limit` bytes. */
async function receive(body: ReadableStream<Uint8Array>, file: string, limit: number): Promise<void> {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limit) done(new ApiError("payload_too_large", `Data files are limited to ${limit} bytes.`));
      else done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>), counter, fs.createWriteStream(file, { mode: 0o600 }));
}

/** The sandbox's refusals and limits as API errors. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    const code = { bad_input: "invalid_request", refused: "invalid_request", not_found: "not_found", timeout: "limit_exceeded", memory: "limit_exceeded", unavailable: "unavailable" } as const;
    throw new ApiError(code[error.code], error.message);
  }
}

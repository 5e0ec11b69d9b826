/**
 * Anchor "hocuspocus": stock Hocuspocus 3.4.4 with @hocuspocus/extension-database
 * persisting whole-document states to SQLite (better-sqlite3, WAL). No auth.
 * Env: PORT, DATA_DIR. Health: any HTTP GET answers 200 (Hocuspocus's default page).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { Server } from "@hocuspocus/server";
import { Database as DatabaseExtension } from "@hocuspocus/extension-database";

const port = Number(process.env.PORT);
const dataDir = process.env.DATA_DIR ?? ".";

const db = new Database(path.join(dataDir, "hocuspocus.sqlite"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, state BLOB NOT NULL)");
const select = db.prepare<[string], { state: Buffer }>("SELECT state FROM documents WHERE name = ?");
const upsert = db.prepare<[string, Buffer]>(
  "INSERT INTO documents (name, state) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET state = excluded.state",
);

const server = new Server({
  port,
  address: "127.0.0.1",
  quiet: true,
  extensions: [
    new DatabaseExtension({
      fetch: async ({ documentName }) => select.get(documentName)?.state ?? null,
      store: async ({ documentName, state }) => {
        upsert.run(documentName, state);
      },
    }),
  ],
});

await server.listen();
process.on("exit", () => db.close());

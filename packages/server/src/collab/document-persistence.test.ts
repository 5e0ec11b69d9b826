import { expect, test } from "vitest";
import * as Y from "yjs";
import { openSqliteStorage } from "../storage/sqlite-storage.ts";
import { temporaryDataDir } from "../../../../tests/helpers/server.ts";
import { DurableDocument, readStoredDocument } from "./document-persistence.ts";

test("every update is logged as it happens and the log compacts into one snapshot", async () => {
  const storage = openSqliteStorage(temporaryDataDir());
  const document = new Y.Doc();
  const durable = new DurableDocument(document, "doc-1", storage.documents, 100, 0);
  const text = document.getText("t");
  for (let index = 0; index < 99; index++) text.insert(index, "a");
  expect(storage.documents.pendingCount("doc-1")).toBe(99);
  expect(durable.maybeCompact()).toBe(false);
  text.insert(99, "b");
  expect(durable.maybeCompact()).toBe(true);
  expect(storage.documents.pendingCount("doc-1")).toBe(0);
  const loaded = storage.documents.load("doc-1");
  expect(loaded.snapshot).not.toBeNull();
  expect(loaded.updates).toHaveLength(0);

  // Updates after the snapshot form the tail; loading is snapshot + tail.
  text.insert(100, "cd");
  expect(readStoredDocument(storage.documents, "doc-1").getText("t").toString()).toBe(`${"a".repeat(99)}bcd`);
  expect(storage.documents.load("doc-1").updates).toHaveLength(1);
  durable.detach();
  text.insert(0, "not logged");
  expect(storage.documents.pendingCount("doc-1")).toBe(1);
  await storage.close();
});

test("a reopened log finds each document's rows among interleaved ones, and a reader sees what a writer compacted", async () => {
  const dataDir = temporaryDataDir();
  const writer = openSqliteStorage(dataDir);
  const documents = ["doc-a", "doc-b", "doc-c"].map((name) => {
    const document = new Y.Doc();
    return { name, document, durable: new DurableDocument(document, name, writer.documents, 1000, 0) };
  });
  // Updates of three documents interleave in the log, as under load.
  for (let index = 0; index < 30; index++) {
    const { document } = documents[index % 3]!;
    document.getText("t").insert(document.getText("t").length, String(index % 10));
  }
  writer.documents.flush();
  const textOf = (log: typeof writer.documents, name: string) => readStoredDocument(log, name).getText("t").toString();

  // Another process (the CLI) opening the same data sees every document as it was logged.
  const reader = openSqliteStorage(dataDir);
  expect(["doc-a", "doc-b", "doc-c"].map((name) => textOf(reader.documents, name))).toEqual(["0369258147", "1470369258", "2581470369"]);
  expect(reader.documents.pendingCount("doc-b")).toBe(10);

  // The writer compacts one document and deletes another; the reader still reads them right.
  documents[0]!.durable.maybeCompact(true);
  writer.documents.deleteDocument("doc-c");
  expect(textOf(reader.documents, "doc-a")).toBe("0369258147");
  expect(textOf(reader.documents, "doc-c")).toBe("");
  expect(textOf(writer.documents, "doc-b")).toBe("1470369258");
  for (const { durable } of documents) durable.detach();
  await reader.close();
  await writer.close();

  // After a restart (a crash left doc-b uncompacted) the log still has doc-b's rows and only them.
  const restarted = openSqliteStorage(dataDir);
  expect(restarted.documents.pendingCount("doc-a")).toBe(0);
  expect(restarted.documents.pendingCount("doc-b")).toBe(10);
  expect(textOf(restarted.documents, "doc-b")).toBe("1470369258");
  await restarted.close();
});

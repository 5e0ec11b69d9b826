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

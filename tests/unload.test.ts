import { expect, test } from "vitest";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas } from "./helpers/server.ts";

test("a document nobody has open is unloaded from memory, its log compacted, and loads again intact", async () => {
  const server = await startTestServer();
  const owner = await signUp(server, "owner@example.com");
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc");
  await eventually(() => server.loadedDocumentCount() === 0, "the creation's document to unload");
  const client = connect(server.url, canvasId, owner.token);
  await synced(client.provider);
  expect(server.loadedDocumentCount()).toBe(1);
  const text = client.document.getText("notes");
  for (let index = 0; index < 50; index++) text.insert(text.length, "z");
  await eventually(() => client.provider.unsyncedChanges === 0, "acknowledgements");
  expect(server.storage.documents.pendingCount(canvasId)).toBeGreaterThanOrEqual(50);
  client.destroy();
  await eventually(() => server.loadedDocumentCount() === 0, "the document to unload", 15_000);
  expect(server.storage.documents.pendingCount(canvasId)).toBe(0);

  const again = connect(server.url, canvasId, owner.token);
  await synced(again.provider);
  expect(again.document.getText("notes").toString()).toBe("z".repeat(50));
  again.destroy();
  expect((await api(server, owner, "GET", `/api/canvases/${canvasId}`)).status).toBe(200);
  await server.close();
});

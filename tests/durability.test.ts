import { expect, test } from "vitest";
import * as Y from "yjs";
import { spawnServer } from "./helpers/child-server.ts";
import { api, connect, eventually, signUp, synced, temporaryDataDir, workspaceWithCanvas } from "./helpers/server.ts";

const typists = 3;

test("every acknowledged update survives SIGKILL while clients type", async () => {
  const dataDir = temporaryDataDir();
  const first = await spawnServer(dataDir);
  const server = { url: first.url } as any;
  const owner = await signUp(server, "owner@example.com");
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc");

  const clients = Array.from({ length: typists }, () => connect(first.url, canvasId, owner.token));
  await Promise.all(clients.map((client) => synced(client.provider)));
  const sent = new Array(typists).fill(0);
  const acknowledged = new Array(typists).fill(-1);
  clients.forEach((client, index) => {
    client.provider.on("disconnect", () => {
      if (acknowledged[index] === -1) acknowledged[index] = sent[index] - client.provider.unsyncedChanges;
    });
  });

  // Each typist appends numbered tokens to its own Y.Text, one update per token.
  let typing = true;
  const loops = clients.map(async (client, index) => {
    const text = client.document.getText(`typist-${index}`);
    while (typing) {
      text.insert(text.length, `${sent[index]};`);
      sent[index]++;
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 6));
    }
  });
  // Kill mid-typing, once each typist has had plenty acknowledged (a fixed wait would not
  // guarantee that on a busy machine), at a random moment after that.
  await eventually(() => clients.every((client, index) => sent[index] - client.provider.unsyncedChanges > 60), "every typist to have updates acknowledged", 60_000);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
  first.process.kill("SIGKILL");
  await eventually(() => acknowledged.every((count) => count !== -1), "every client to see the server die");
  typing = false;
  await Promise.all(loops);
  // Forget the clients, so nothing they still hold can mask a lost update.
  clients.forEach((client) => client.destroy());
  expect(Math.min(...acknowledged)).toBeGreaterThan(50);

  const second = await spawnServer(dataDir);
  const reader = connect(second.url, canvasId, owner.token, new Y.Doc());
  await synced(reader.provider);
  for (let index = 0; index < typists; index++) {
    const stored = reader.document.getText(`typist-${index}`).toString();
    const tokens = stored.split(";").filter(Boolean).map(Number);
    // Everything acknowledged is there, in order; nothing else was invented.
    expect(tokens.slice(0, acknowledged[index])).toEqual(Array.from({ length: acknowledged[index] }, (_, n) => n));
    expect(tokens.length).toBeLessThanOrEqual(sent[index]);
  }
  reader.destroy();

  // The restarted server serves normally.
  expect((await api({ url: second.url } as any, owner, "GET", `/api/canvases/${canvasId}`)).status).toBe(200);
  second.process.kill("SIGTERM");
  await new Promise((resolve) => second.process.once("exit", resolve));
}, 120_000);

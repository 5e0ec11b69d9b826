import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { Accounts } from "../accounts/accounts.ts";
import { Access } from "../access.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { openSqliteStorage } from "../storage/sqlite-storage.ts";
import type { Storage } from "../storage/storage.ts";
import { createCollabServer, type CollabServer } from "./collab-server.ts";

// `Services.closeUserConnections` (for disabling or deleting an account) has no HTTP route
// of its own yet, so the live server is wired here as server.ts wires it.
let dataDir: string;
let storage: Storage;
let collab: CollabServer;
let server: http.Server;
let url: string;
let accounts: Accounts;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-collab-"));
  const config = loadConfig({ dataDir, logLevel: "silent" });
  storage = openSqliteStorage(dataDir);
  accounts = new Accounts(storage, { allowSignupDefault: true, sessionDays: 1 });
  collab = createCollabServer({ config, storage, accounts, access: new Access(storage), logger: createLogger("silent") });
  const sockets = new WebSocketServer({ noServer: true });
  server = http.createServer();
  server.on("upgrade", (request, socket, head) => sockets.handleUpgrade(request, socket, head, (websocket) => collab.handleConnection(websocket, request)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await collab.stop();
  await new Promise((resolve) => server.close(resolve));
  await storage.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function person(email: string) {
  const user = await accounts.createUser({ email, password: "correct horse battery" }, true);
  return { user, token: (await accounts.createApiToken(user.id, "test")).token };
}

function connect(canvasId: string, token: string) {
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: canvasId, token });
  provider.attach();
  const closes: number[] = [];
  socket.on("close", ({ event }: { event: { code: number } }) => closes.push(event.code));
  return { provider, socket, closes, destroy: () => (provider.destroy(), socket.destroy()) };
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test("closing a user's connections ends all of theirs at once (4401), and nobody else's", async () => {
  const alice = await person("alice@example.com");
  const bob = await person("bob@example.com");
  const workspace = await storage.createWorkspace("Team", alice.user.id);
  await storage.setMember(workspace.id, bob.user.id, "editor");
  const canvas = await storage.createCanvas({ workspaceId: workspace.id, title: "Plan", kind: "doc", createdBy: alice.user.id });
  const bobClients = [connect(canvas.id, bob.token), connect(canvas.id, bob.token)];
  const aliceClient = connect(canvas.id, alice.token);
  await until(() => [...bobClients, aliceClient].every((client) => client.provider.isSynced), "everyone to sync");

  collab.closeUserConnections(bob.user.id);
  await until(() => bobClients.every((client) => client.closes[0] === 4401), "Bob's sockets to close with 4401");
  expect(aliceClient.closes).toEqual([]);
  for (const client of [...bobClients, aliceClient]) client.destroy();
});

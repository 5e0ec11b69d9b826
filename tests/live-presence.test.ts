import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import { Awareness } from "y-protocols/awareness";
import type { RunningServer } from "@cocanvas/server";
import { connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";
import { authFrame, awarenessFrame, openSocket, sendFrame } from "./helpers/live.ts";

let server: RunningServer;
let owner: TestUser;
let viewer: TestUser;
let canvasId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "alice@example.com");
  viewer = await signUp(server, "mallory@example.com");
  ({ canvasId } = await workspaceWithCanvas(server, owner, "doc", [[viewer, "viewer"]]));
});
afterAll(() => server.close());

type State = { user?: { id: string; name: string; color: string }; agent?: unknown; cursor?: unknown };
const statesOf = (awareness: Awareness) => [...awareness.getStates().entries()] as [number, State][];

test("a connection publishes presence only for its own client, under its own account's name", async () => {
  const alice = connect(server.url, canvasId, owner.token);
  alice.provider.setAwarenessField("user", { id: owner.id, name: "alice", color: "#000000" });
  await synced(alice.provider);
  const watcher = connect(server.url, canvasId, owner.token);
  await synced(watcher.provider);
  const aliceClient = alice.document.clientID;
  await eventually(() => watcher.provider.awareness!.getStates().get(aliceClient)?.user?.name === "alice", "Alice's presence to arrive");

  // Mallory (a viewer) speaks the protocol herself: her own state claims to be Alice,
  // then a second state claims Alice's client id, and a third a made-up agent.
  const socket = await openSocket(server);
  await sendFrame(socket, authFrame(canvasId, viewer.token));
  const own = new Awareness(new Y.Doc());
  own.setLocalState({ user: { id: owner.id, name: "Alice (owner)", color: "#ff0000" }, agent: { runId: "r", status: "writing", invokedBy: owner.id } });
  await sendFrame(socket, awarenessFrame(canvasId, own, [own.clientID]));
  const forged = new Awareness(new Y.Doc());
  forged.clientID = aliceClient;
  forged.setLocalState({ user: { id: owner.id, name: "Alice (owner)", color: "#ff0000" } });
  // A clock far ahead of Alice's, so it would win if it were applied.
  forged.meta.set(aliceClient, { clock: 1_000, lastUpdated: Date.now() });
  await sendFrame(socket, awarenessFrame(canvasId, forged, [aliceClient]));
  const stranger = new Awareness(new Y.Doc());
  stranger.setLocalState({ user: { id: "agent", name: "Critic" }, agent: { runId: "r2", status: "reviewing", invokedBy: owner.id } });
  await sendFrame(socket, awarenessFrame(canvasId, stranger, [stranger.clientID]));
  // Then a last change of her own state: once it shows, everything before it was handled.
  own.setLocalStateField("cursor", { anchor: 1, head: 1 });
  await sendFrame(socket, awarenessFrame(canvasId, own, [own.clientID]));
  await eventually(() => Boolean(watcher.provider.awareness!.getStates().get(own.clientID)?.cursor), "Mallory's last state to arrive");

  const states = statesOf(watcher.provider.awareness!);
  const mallory = states.find(([clientId]) => clientId === own.clientID)![1];
  expect(mallory.user).toMatchObject({ id: viewer.id, name: "mallory" });
  expect(mallory.agent).toBeUndefined();
  expect(watcher.provider.awareness!.getStates().get(aliceClient)?.user?.name).toBe("alice");
  expect(states.map(([, state]) => state.user?.name)).not.toContain("Alice (owner)");
  expect(states.map(([, state]) => state.user?.name)).not.toContain("Critic");
  expect(states.filter(([, state]) => state.agent)).toEqual([]);
  socket.close();
  alice.destroy();
  watcher.destroy();
});

test("a stock provider's own presence is published under its account, whatever name it sets", async () => {
  const client = connect(server.url, canvasId, viewer.token);
  client.provider.setAwarenessField("user", { id: owner.id, name: "Alice (owner)", color: "#ff0000" });
  await synced(client.provider);
  const watcher = connect(server.url, canvasId, owner.token);
  await synced(watcher.provider);
  await eventually(() => watcher.provider.awareness!.getStates().get(client.document.clientID)?.user?.name === "mallory", "Mallory's presence, under her own name");
  expect(watcher.provider.awareness!.getStates().get(client.document.clientID)?.user?.id).toBe(viewer.id);
  client.destroy();
  watcher.destroy();
});

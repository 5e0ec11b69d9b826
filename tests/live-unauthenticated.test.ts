import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { Awareness } from "y-protocols/awareness";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";
import { authFrame, awarenessFrame, closeCode, openSocket, sendFrame, updateFrame } from "./helpers/live.ts";

// What the server may hold for a socket that has not authenticated (heldLimits.beforeAuthentication).
const unauthenticatedBytes = 256 * 1024;

let server: RunningServer;
let owner: TestUser;
let stranger: TestUser;
let canvasId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  stranger = await signUp(server, "stranger@example.com");
  ({ canvasId } = await workspaceWithCanvas(server, owner, "doc"));
});
afterAll(() => server.close());

test("large frames sent without authenticating are not held: the socket is closed (4413) and memory stays bounded", async () => {
  const before = process.memoryUsage().rss;
  const sockets = await Promise.all([openSocket(server), openSocket(server)]);
  const codes = sockets.map(closeCode);
  const big = updateFrame(canvasId, new Uint8Array(8 * 1024 * 1024).fill(7));
  for (const socket of sockets) {
    for (let index = 0; index < 40 && socket.readyState === WebSocket.OPEN; index++) await sendFrame(socket, big);
  }
  expect(await Promise.all(codes)).toEqual([4413, 4413]);
  const held = server.heldFrames();
  expect(held.peakBytes).toBeLessThanOrEqual(unauthenticatedBytes);
  expect(held.bytes).toBe(0);
  expect(held.messages).toBe(0);
  // For the record (RSS is noisy; the assertion above is on the server's own accounting).
  console.info(`RSS ${Math.round(before / 2 ** 20)} → ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
});

test("many small frames without authenticating close the socket too (count bound)", async () => {
  const socket = await openSocket(server);
  const code = closeCode(socket);
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ user: { name: "x".repeat(100) } });
  for (let index = 0; index < 200 && socket.readyState === WebSocket.OPEN; index++) await sendFrame(socket, awarenessFrame(`document-${index % 3}`, awareness, [awareness.clientID]));
  expect(await code).toBe(4413);
  expect(server.heldFrames().messages).toBe(0);
});

test("a failed authentication closes the socket after telling the client why, and drops what it sent", async () => {
  for (const [token, expected] of [
    ["cc_not-a-token", 4401],
    [stranger.token, 4403],
  ] as const) {
    const socket = await openSocket(server);
    const code = closeCode(socket);
    const replies: Buffer[] = [];
    socket.on("message", (data: Buffer) => replies.push(data));
    await sendFrame(socket, authFrame(canvasId, token));
    await sendFrame(socket, updateFrame(canvasId, new Uint8Array(1024)));
    expect(await code).toBe(expected);
    expect(replies.length).toBeGreaterThan(0); // the permission-denied answer came first
  }
  await eventually(() => server.heldFrames().bytes === 0, "held frames to be dropped");
});

test("a socket that authenticates nothing within a few seconds is closed (4408)", async () => {
  const silent = await openSocket(server);
  const chatty = await openSocket(server);
  const codes = [closeCode(silent), closeCode(chatty)];
  await sendFrame(chatty, updateFrame(canvasId, new Uint8Array(16)));
  expect(await Promise.all(codes)).toEqual([4408, 4408]);
  expect(server.heldFrames().bytes).toBe(0);
});

test("a provider that edited before connecting still syncs, and its socket stays open", async () => {
  const document = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText("written before connecting")]);
  document.getXmlFragment("content").push([paragraph]);
  const client = connect(server.url, canvasId, owner.token, document);
  const closes: number[] = [];
  client.socket.on("close", ({ event }: { event: { code: number } }) => closes.push(event.code));
  await synced(client.provider);
  await eventually(() => client.provider.unsyncedChanges === 0, "the edit to be acknowledged");
  const exported = await api(server, owner, "GET", `/api/canvases/${canvasId}/export?format=md`);
  expect(exported.body).toContain("written before connecting");
  expect(closes).toEqual([]);
  client.destroy();
});

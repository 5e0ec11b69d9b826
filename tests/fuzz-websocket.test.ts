/**
 * Property-based fuzzing of the live channel: random bytes, valid Hocuspocus prefixes with
 * garbage after them, huge varints, wrong message types and mutated Yjs updates, from
 * anonymous sockets, a viewer's and an editor's. The server must stay up and keep serving
 * another client, apply nothing that a socket may not write, and store nothing it cannot
 * load again.
 */
import fc from "fast-check";
import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let viewer: TestUser;
let canvasId: string;

beforeAll(async () => {
  server = await startTestServer({ maxWsMessageBytes: 64 * 1024, wsMessagesPerSecond: 100_000 });
  owner = await signUp(server, "owner@example.com");
  viewer = await signUp(server, "viewer@example.com");
  ({ canvasId } = await workspaceWithCanvas(server, owner, "doc", [[viewer, "viewer"]]));
});
afterAll(() => server.close());
// Hocuspocus prints every frame it cannot read to the console (our own logger is silent here).
beforeAll(() => void vi.spyOn(console, "error").mockImplementation(() => undefined));
afterAll(() => vi.restoreAllMocks());

const frame = (write: (encoder: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
};
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** A real Yjs update: random edits to the shared types a canvas holds, and to others. */
const realUpdate = fc
  .array(fc.record({ type: fc.constantFrom("text", "map", "array", "xml"), value: fc.string({ maxLength: 20 }), key: fc.constantFrom("comments", "suggestions", "files") }), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const document = new Y.Doc();
    for (const edit of edits) {
      if (edit.type === "text") document.getText("text").insert(0, edit.value);
      else if (edit.type === "map") document.getMap(edit.key).set(edit.value, edit.value);
      else if (edit.type === "array") document.getArray("chat").push([edit.value]);
      else document.getXmlFragment("content").push([new Y.XmlText(edit.value)]);
    }
    return Y.encodeStateAsUpdate(document);
  });

/** A real update, cut short, with bytes flipped, or with garbage after it. */
const mutatedUpdate = fc.tuple(realUpdate, fc.constantFrom("truncate", "flip", "append", "as-is"), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([update, how, at, bytes]) => {
  const position = at % update.length;
  if (how === "truncate") return update.slice(0, position);
  if (how === "append") return join(update, bytes);
  if (how === "flip") {
    const copy = update.slice();
    bytes.forEach((byte, index) => (copy[(position + index) % copy.length] = byte));
    return copy;
  }
  return update;
});

const hugeVarUint = fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 0x7fffffff);
const documentName = () => fc.oneof({ weight: 4, arbitrary: fc.constant(canvasId) }, fc.string({ maxLength: 40 }));

const frames = () =>
  fc.oneof(
    fc.uint8Array({ maxLength: 512 }),
    // A valid prefix (document name, message type), then garbage.
    fc.tuple(documentName(), fc.nat({ max: 12 }), fc.uint8Array({ maxLength: 256 })).map(([name, type, tail]) => join(frame((e) => (encoding.writeVarString(e, name), encoding.writeVarUint(e, type))), tail)),
    // Sync messages (step 1, step 2, update, or an unknown sync type) carrying mutated updates.
    fc.tuple(documentName(), fc.constantFrom(0, 1, 2, 3, 9), mutatedUpdate).map(([name, syncType, update]) =>
      frame((e) => {
        encoding.writeVarString(e, name);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, syncType);
        encoding.writeVarUint8Array(e, update);
      }),
    ),
    // A length or count that claims far more than the frame holds.
    fc.tuple(documentName(), fc.constantFrom(0, 1, 2, 5), hugeVarUint, fc.uint8Array({ maxLength: 32 })).map(([name, type, huge, tail]) =>
      join(frame((e) => (encoding.writeVarString(e, name), encoding.writeVarUint(e, type), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, huge))), tail),
    ),
    // A name whose length varint runs past the end, and overlong varints.
    fc.constantFrom(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), new Uint8Array([0x80]), new Uint8Array([0x05, 0x61]), new Uint8Array([])),
    // Wrong types where strings belong: an auth message whose token is bytes.
    fc.tuple(documentName(), fc.uint8Array({ maxLength: 64 })).map(([name, bytes]) => frame((e) => (encoding.writeVarString(e, name), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, bytes)))),
  );

function authFrame(token: string) {
  return frame((e) => {
    encoding.writeVarString(e, canvasId);
    encoding.writeVarUint(e, 2); // Auth
    encoding.writeVarUint(e, 0); // Token
    encoding.writeVarString(e, token);
  });
}

/** Opens a socket, sends the frames, and resolves once the server answered a ping after them (or closed it). */
async function attack(token: string | null, payload: Uint8Array[]): Promise<void> {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  socket.on("error", () => undefined);
  const done = new Promise<void>((resolve) => {
    socket.once("pong", () => resolve());
    socket.once("close", () => resolve());
  });
  if (token) socket.send(authFrame(token));
  for (const bytes of payload) if (socket.readyState === WebSocket.OPEN) socket.send(bytes);
  if (socket.readyState === WebSocket.OPEN) socket.ping();
  await done;
  socket.terminate();
}

/** The document as stored: once nobody has it open it is unloaded, then a fresh reader loads it. */
async function reloadFromStorage() {
  await eventually(() => server.loadedDocumentCount() === 0, "the document to be unloaded", 30_000);
  const reader = connect(server.url, canvasId, owner.token, new Y.Doc());
  await synced(reader.provider);
  return reader;
}

const budget = { interruptAfterTimeLimit: 12_000, markInterruptAsFailure: false, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) };

test("frames from anonymous and viewer sockets never change the document; the server keeps serving", async () => {
  const bystander = connect(server.url, canvasId, owner.token);
  await synced(bystander.provider);
  bystander.document.getText("bystander").insert(0, "written before the fuzzing");
  await eventually(() => bystander.provider.unsyncedChanges === 0, "the bystander's edit to be acknowledged");
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(null, viewer.token, "not-a-token"), fc.array(frames(), { minLength: 1, maxLength: 4 }), async (token, payload) => {
      runs++;
      await attack(token, payload);
    }),
    { numRuns: 400, ...budget },
  );
  expect(runs).toBeGreaterThan(20);
  // The bystander is still served: its next edit is acknowledged.
  bystander.document.getText("bystander").insert(0, "and after. ");
  await eventually(() => bystander.provider.unsyncedChanges === 0, "the bystander's edit after the fuzzing to be acknowledged", 30_000);
  const expected = Y.encodeStateVector(bystander.document);
  bystander.destroy();
  const reader = await reloadFromStorage();
  // Nothing but the bystander's edits (and the canvas's initial content): same state vector.
  expect(Y.encodeStateVector(reader.document)).toEqual(expected);
  expect(reader.document.getText("bystander").toString()).toBe("and after. written before the fuzzing");
  reader.destroy();
}, 120_000);

test("garbage from an editor's socket leaves the server up, others served, and the stored document loadable", async () => {
  const bystander = connect(server.url, canvasId, owner.token);
  await synced(bystander.provider);
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(frames(), { minLength: 1, maxLength: 4 }), async (payload) => {
      runs++;
      await attack(owner.token, payload);
    }),
    { numRuns: 400, ...budget },
  );
  expect(runs).toBeGreaterThan(20);
  bystander.document.getText("bystander").insert(0, "still here. ");
  await eventually(() => bystander.provider.unsyncedChanges === 0, "the bystander's edit to be acknowledged", 30_000);
  expect((await api(server, owner, "GET", `/api/canvases/${canvasId}`)).status).toBe(200);
  // Whatever was applied was stored whole: the reloaded document is the one the bystander saw.
  const seen = Y.encodeStateVector(bystander.document);
  const text = bystander.document.getText("bystander").toString();
  bystander.destroy();
  const reader = await reloadFromStorage();
  expect(Y.encodeStateVector(reader.document)).toEqual(seen);
  expect(reader.document.getText("bystander").toString()).toBe(text);
  expect(text.startsWith("still here. ")).toBe(true);
  reader.destroy();
}, 120_000);

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let canvasId: string;
let workspaceId: string;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4096, maxUploadBytes: 2048, maxWsMessageBytes: 64 * 1024, wsMessagesPerSecond: 50 });
  owner = await signUp(server, "owner@example.com");
  ({ canvasId, workspaceId } = await workspaceWithCanvas(server, owner, "doc"));
});
afterAll(() => server.close());

async function raw(method: string, route: string, body: string, contentType = "application/json") {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${owner.token}`, "content-type": contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function workspaceCount() {
  return (await api(server, owner, "GET", "/api/workspaces")).body.items.length;
}

describe("HTTP", () => {
  test("malformed JSON answers 400 invalid_request", async () => {
    const result = await raw("POST", "/api/workspaces", '{"name": "x"');
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe("invalid_request");
    expect(result.body.error.message).toMatch(/not valid JSON/);
  });

  test("missing, wrong-typed and unknown fields answer 400 naming the field, and create nothing", async () => {
    const before = await workspaceCount();
    for (const body of [{}, { name: 42 }, { name: "" }, { name: "ok", admin: true }, [], null, "name"]) {
      const result = await raw("POST", "/api/workspaces", JSON.stringify(body));
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error.code).toBe("invalid_request");
    }
    expect((await raw("POST", `/api/workspaces/${workspaceId}/canvases`, JSON.stringify({ title: "x", kind: "spreadsheet" }))).body.error.message).toMatch(/kind/);
    expect(await workspaceCount()).toBe(before);
  });

  test("a body that is not JSON answers 400", async () => {
    expect((await raw("POST", "/api/workspaces", "name=x", "application/x-www-form-urlencoded")).status).toBe(400);
  });

  test("an oversized body answers 413 and changes nothing", async () => {
    const before = await workspaceCount();
    const result = await raw("POST", "/api/workspaces", JSON.stringify({ name: "x".repeat(10_000) }));
    expect(result.status).toBe(413);
    expect(result.body.error.code).toBe("payload_too_large");
    expect(await workspaceCount()).toBe(before);
  });

  test("oversized and non-image uploads are refused", async () => {
    const upload = async (bytes: Uint8Array<ArrayBuffer>) => {
      const form = new FormData();
      form.append("file", new Blob([bytes]), "file.png");
      const response = await fetch(`${server.url}/api/canvases/${canvasId}/uploads`, { method: "POST", headers: { authorization: `Bearer ${owner.token}` }, body: form });
      return { status: response.status, body: (await response.json()) as any };
    };
    const big = new Uint8Array(4000);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await upload(big)).status).toBe(413);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const refused = await upload(svg);
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe("unsupported_media_type");
    const notMultipart = await raw("POST", `/api/canvases/${canvasId}/uploads`, "{}");
    expect(notMultipart.status).toBe(400);
  });

  test("unknown ids and routes answer 404 with a JSON error", async () => {
    for (const route of ["/api/canvases/nope", "/api/workspaces/nope/canvases", `/api/canvases/${canvasId}/versions/nope`, "/api/uploads/nope", "/api/nothing-here"]) {
      const result = await api(server, owner, "GET", route);
      expect(result.status, route).toBe(404);
      expect(result.body.error.code).toBe("not_found");
    }
  });

  test("a broken workspace import answers 400 and creates no workspace", async () => {
    const before = await workspaceCount();
    for (const body of [{ format: "something-else" }, { format: "cocanvas.workspace", formatVersion: 1, exportedAt: "now", workspace: { name: "W" }, canvases: [{ id: "a", title: "T", kind: "doc", createdAt: "", updatedAt: "", deletedAt: null, state: "AAEC", versions: [], uploads: [] }] }]) {
      const result = await api(server, owner, "POST", "/api/workspaces/import", body);
      expect(result.status).toBe(400);
    }
    expect(await workspaceCount()).toBe(before);
  });
});

describe("WebSocket", () => {
  const url = () => `${server.url.replace("http", "ws")}/collab`;

  function open(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url());
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
    });
  }
  const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));

  function authMessage(token: string) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, canvasId);
    encoding.writeVarUint(encoder, 2); // Auth
    encoding.writeVarUint(encoder, 0); // Token
    encoding.writeVarString(encoder, token);
    return encoding.toUint8Array(encoder);
  }
  function updateMessage(update: Uint8Array) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, canvasId);
    encoding.writeVarUint(encoder, 0); // Sync
    syncProtocol.writeUpdate(encoder, update);
    return encoding.toUint8Array(encoder);
  }

  test("garbage bytes close the socket with 4400", async () => {
    const socket = await open();
    socket.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(await closed(socket)).toBe(4400);
  });

  test("a truncated update after authenticating is refused and applies nothing", async () => {
    const socket = await open();
    const answered = new Promise((resolve) => socket.once("message", resolve));
    socket.send(authMessage(owner.token));
    await answered; // authenticated
    const document = new Y.Doc();
    document.getText("probe").insert(0, "should never arrive");
    const update = Y.encodeStateAsUpdate(document);
    socket.send(updateMessage(update.slice(0, update.length - 6)));
    // The server reads a socket's frames in order: once it answers a ping sent after the
    // update (or has closed the socket over it), the update has been handled.
    await new Promise((resolve) => {
      socket.once("pong", resolve);
      socket.once("close", resolve);
      socket.ping();
    });
    socket.terminate();
    const reader = connect(server.url, canvasId, owner.token);
    await synced(reader.provider);
    expect(reader.document.getText("probe").toString()).toBe("");
    reader.destroy();
  });

  test("a frame over the size limit closes the socket with 1009", async () => {
    const socket = await open();
    socket.send(new Uint8Array(128 * 1024));
    expect(await closed(socket)).toBe(1009);
  });

  test("a client that floods updates is closed with 4429; others keep working", async () => {
    const bystander = connect(server.url, canvasId, owner.token);
    await synced(bystander.provider);
    const socket = await open();
    // Authenticated first: before that, the server holds only a few frames (4413, tests/live-unauthenticated.test.ts).
    const authenticated = new Promise((resolve) => socket.once("message", resolve));
    socket.send(authMessage(owner.token));
    await authenticated;
    const code = closed(socket);
    const flood = new Y.Doc();
    flood.on("update", (update: Uint8Array) => socket.readyState === WebSocket.OPEN && socket.send(updateMessage(update)));
    for (let index = 0; index < 2000 && socket.readyState === WebSocket.OPEN; index++) {
      flood.getText("flood").insert(0, "x");
      if (index % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await code).toBe(4429);
    // The bystander still edits and the server still answers.
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("still here")]);
    bystander.document.getXmlFragment("content").push([paragraph]);
    await eventually(() => bystander.provider.unsyncedChanges === 0, "the bystander's edit to be acknowledged");
    expect((await api(server, owner, "GET", "/api/health")).status).toBe(200);
    bystander.destroy();
  });

  test("unauthenticated upgrades to other paths are refused", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/elsewhere`);
    const error = await new Promise<Error>((resolve) => socket.once("error", resolve));
    expect(String(error)).toMatch(/404/);
  });
});

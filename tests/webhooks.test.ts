import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { suggestionTextView, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver on loopback that answers each request with the next status of `statuses` (then 200). */
async function startReceiver(statuses: Record<string, number[]>) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const answered = statuses[path]?.shift() ?? 200;
      received.push({ path, headers: request.headers, body, answered });
      response.writeHead(answered, { "content-type": "text/plain" }).end(answered === 200 ? "thanks" : "try later");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The documented check, written out as a receiver would (not with the server's own helper). */
function signatureHolds(secret: string, request: Received): boolean {
  const timestamp = request.headers["x-cocanvas-timestamp"] as string;
  const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${request.body}`).digest("hex")}`;
  return request.headers["x-cocanvas-signature"] === expected && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

async function threadOn(server: RunningServer, owner: TestUser, canvasId: string, cleanup: (() => void)[]) {
  const live = connect(server.url, canvasId, owner.token, new Y.Doc());
  cleanup.push(live.destroy);
  await synced(live.provider);
  writeDocMarkdown(live.document, "Quarterly numbers");
  const view = suggestionTextView(live.document, { kind: "doc" });
  const started = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection: { from: base64(view.anchor(0, "start")), to: base64(view.anchor(9, "end")) }, text: "Check" });
  return started.body.id as string;
}

describe("outgoing webhooks", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  let workspaceId: string;
  let canvasId: string;
  let threadId: string;
  const cleanup: (() => void)[] = [];

  beforeAll(async () => {
    receiver = await startReceiver({ "/bob": [500, 503] });
    server = await startTestServer({ webhookAllowPrivate: true, webhooks: { baseDelayMs: 50 } });
    alice = await signUp(server, "alice@example.test");
    bob = await signUp(server, "bob@example.test");
    ({ workspaceId, canvasId } = await workspaceWithCanvas(server, alice, "doc", [[bob, "editor"]]));
    threadId = await threadOn(server, alice, canvasId, cleanup);
  });
  afterAll(async () => {
    while (cleanup.length) cleanup.pop()!();
    await server?.close();
    await receiver?.close();
  });

  it("delivers a signed notification, retrying with backoff until the receiver takes it, and logs every try", async () => {
    // A webhook for another kind is added first: it must get nothing.
    const other = await api(server, bob, "POST", `/api/workspaces/${workspaceId}/webhooks`, { url: `${receiver.url}/tasks-only`, kinds: ["task-run"] });
    expect(other.status).toBe(201);
    const created = await api(server, bob, "POST", `/api/workspaces/${workspaceId}/webhooks`, { url: `${receiver.url}/bob`, kinds: ["mention"] });
    expect(created.status).toBe(201);
    const { id: webhookId, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    // The secret is shown once: never listed.
    const listed = await api(server, bob, "GET", `/api/workspaces/${workspaceId}/webhooks`);
    expect(listed.body.items.map((hook: { id: string }) => hook.id)).toEqual([other.body.id, webhookId]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await api(server, alice, "POST", `/api/canvases/${canvasId}/comments/${threadId}/replies`, { text: "@bob numbers are in" });
    await eventually(() => receiver.received.some((request) => request.answered === 200), "a delivery the receiver accepts");

    const tries = receiver.received.filter((request) => request.path === "/bob");
    expect(tries.map((request) => request.answered)).toEqual([500, 503, 200]);
    for (const request of tries) expect(signatureHolds(secret, request)).toBe(true);
    // One payload, retried: the same delivery id and body each time.
    expect(new Set(tries.map((request) => request.headers["x-cocanvas-delivery"])).size).toBe(1);
    expect(new Set(tries.map((request) => request.body)).size).toBe(1);
    const payload = JSON.parse(tries[0]!.body);
    expect(payload).toMatchObject({ id: tries[0]!.headers["x-cocanvas-delivery"], event: "notification-created", workspaceId });
    expect(payload.data.notification).toMatchObject({ kind: "mention", link: `/c/${canvasId}`, body: "@bob numbers are in" });
    expect(tries[0]!.headers["x-cocanvas-event"]).toBe("notification-created");
    // A wrong secret does not verify.
    expect(signatureHolds("whsec_wrong", tries[2]!)).toBe(false);

    const log = await api(server, bob, "GET", `/api/webhooks/${webhookId}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(1);
    const [delivery] = log.body.items;
    expect(delivery).toMatchObject({ event: "notification-created", status: "delivered", nextAttemptAt: null });
    expect(delivery.attempts.map((attempt: { attempt: number; statusCode: number; error: string | null }) => [attempt.attempt, attempt.statusCode, attempt.error])).toEqual([
      [1, 500, "the receiver answered HTTP 500"],
      [2, 503, "the receiver answered HTTP 503"],
      [3, 200, null],
    ]);
    // Backoff: the second wait is at least twice the base, the first at least the base.
    const times = delivery.attempts.map((attempt: { at: string }) => Date.parse(attempt.at));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(50);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(100);

    expect(receiver.received.filter((request) => request.path === "/tasks-only")).toEqual([]);
    expect((await api(server, bob, "GET", `/api/webhooks/${other.body.id}/deliveries`)).body.items).toEqual([]);
  });

  it("shows a webhook and its log to its owner only", async () => {
    const created = await api(server, bob, "POST", `/api/workspaces/${workspaceId}/webhooks`, { url: `${receiver.url}/private`, kinds: [] });
    const id = created.body.id as string;
    expect((await api(server, alice, "GET", `/api/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await api(server, alice, "DELETE", `/api/webhooks/${id}`)).status).toBe(404);
    expect((await api(server, alice, "POST", `/api/webhooks/${id}/test`)).status).toBe(404);
    expect((await api(server, alice, "GET", `/api/workspaces/${workspaceId}/webhooks`)).body.items).toEqual([]);
    expect((await api(server, bob, "DELETE", `/api/webhooks/${id}`)).status).toBe(204);
    expect((await api(server, bob, "GET", `/api/webhooks/${id}/deliveries`)).status).toBe(404);
  });

  it("sends a test ping on request", async () => {
    const created = await api(server, bob, "POST", `/api/workspaces/${workspaceId}/webhooks`, { url: `${receiver.url}/ping` });
    const ping = await api(server, bob, "POST", `/api/webhooks/${created.body.id}/test`);
    expect(ping.status).toBe(202);
    await eventually(() => receiver.received.some((request) => request.path === "/ping"), "the ping");
    const request = receiver.received.find((candidate) => candidate.path === "/ping")!;
    expect(request.headers["x-cocanvas-event"]).toBe("ping");
    expect(signatureHolds(created.body.secret, request)).toBe(true);
  });

  it("refuses bad webhook input with the field named", async () => {
    const cases: [unknown, RegExp][] = [
      [{ url: "ftp://example.test/hook" }, /url/],
      [{ url: "not a url" }, /url/],
      [{ url: "https://user:pass@example.test/hook" }, /url/],
      [{ url: "https://example.test/hook", kinds: ["Bad Kind"] }, /kinds/],
      [{ url: "https://example.test/hook", extra: 1 }, /extra|unrecognized/i],
    ];
    for (const [body, message] of cases) {
      const answer = await api(server, bob, "POST", `/api/workspaces/${workspaceId}/webhooks`, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    const outsider = await signUp(server, "outsider@example.test");
    expect((await api(server, outsider, "POST", `/api/workspaces/${workspaceId}/webhooks`, { url: "https://example.test/hook" })).status).toBe(404);
  });
});

describe("webhooks to private addresses", () => {
  it("are refused unless the server allows them, and the log says why", async () => {
    const receiver = await startReceiver({});
    const server = await startTestServer({ webhookMaxAttempts: 1 });
    try {
      const owner = await signUp(server, "owner@example.test");
      const workspace = await api(server, owner, "POST", "/api/workspaces", { name: "Solo" });
      const hook = await api(server, owner, "POST", `/api/workspaces/${workspace.body.id}/webhooks`, { url: `${receiver.url}/internal` });
      await api(server, owner, "POST", `/api/webhooks/${hook.body.id}/test`);
      let delivery: any;
      await eventually(async () => {
        delivery = (await api(server, owner, "GET", `/api/webhooks/${hook.body.id}/deliveries`)).body.items[0];
        return delivery?.status === "failed";
      }, "the delivery to fail");
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0].statusCode).toBeNull();
      expect(delivery.attempts[0].error).toMatch(/private.*COCANVAS_WEBHOOK_ALLOW_PRIVATE/);
      expect(receiver.received).toEqual([]);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe("a pending webhook delivery", () => {
  it("survives a restart and is delivered by the next run", async () => {
    const { startServer } = await import("@cocanvas/server");
    const { temporaryDataDir } = await import("./helpers/server.ts");
    const receiver = await startReceiver({ "/later": [503] });
    const dataDir = temporaryDataDir();
    // The retry is a minute away: it cannot happen before the restart.
    const options = { port: 0, dataDir, logLevel: "silent", webDir: null, webhookAllowPrivate: true, webhooks: { baseDelayMs: 60_000 } } as const;
    let server = await startServer(options);
    const owner = await signUp(server, "owner@example.test");
    const workspace = await api(server, owner, "POST", "/api/workspaces", { name: "Solo" });
    const hook = await api(server, owner, "POST", `/api/workspaces/${workspace.body.id}/webhooks`, { url: `${receiver.url}/later` });
    await api(server, owner, "POST", `/api/webhooks/${hook.body.id}/test`);
    await eventually(() => receiver.received.length === 1, "the first (refused) try");
    await server.close();

    // The next run's clock is two minutes later: the retry is due.
    server = await startServer({ ...options, webhooks: { baseDelayMs: 60_000, now: () => Date.now() + 120_000 } });
    try {
      await eventually(() => receiver.received.some((request) => request.answered === 200), "the retry after the restart");
      const log = await api(server, owner, "GET", `/api/webhooks/${hook.body.id}/deliveries`);
      expect(log.body.items[0].status).toBe("delivered");
      expect(log.body.items[0].attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([503, 200]);
      expect(new Set(receiver.received.map((request) => request.headers["x-cocanvas-delivery"])).size).toBe(1);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { openEventStream } from "./helpers/event-stream.ts";
import { api, signUp, startTestServer, type TestUser } from "./helpers/server.ts";

describe("the per-person live event stream", () => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUp(server, "alice@example.test");
    bob = await signUp(server, "bob@example.test");
    workspaceId = (await api(server, alice, "POST", "/api/workspaces", { name: "Team" })).body.id;
    await api(server, alice, "POST", `/api/workspaces/${workspaceId}/members`, { email: bob.email, role: "editor" });
  });
  afterAll(() => server?.close());

  it("refuses anyone signed out", async () => {
    const response = await fetch(`${server.url}/api/events`);
    expect(response.status).toBe(401);
  });

  it("tells another member when a canvas is created, renamed, trashed and restored", async () => {
    const stream = await openEventStream(server, bob);
    const changes = () => stream.events.filter((event) => event.event === "workspace-changed" && event.data.workspaceId === workspaceId).map((event) => event.data.what);

    const canvas = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "Plan", kind: "doc" });
    await stream.waitFor((event) => event.event === "workspace-changed" && event.data.what === "canvases", "the created canvas");
    await api(server, alice, "PATCH", `/api/canvases/${canvas.body.id}`, { title: "Plan B" });
    await stream.waitFor(() => changes().length >= 2, "the rename");
    await api(server, alice, "DELETE", `/api/canvases/${canvas.body.id}`);
    await stream.waitFor(() => changes().includes("trash"), "the canvas moving to the trash");
    await api(server, alice, "POST", `/api/canvases/${canvas.body.id}/restore`);
    await stream.waitFor(() => changes().filter((what) => what === "trash").length === 2, "the restore");
    expect(changes()).toEqual(["canvases", "canvases", "trash", "trash"]);
    stream.close();
  });

  it("tells members when members, agents and the workspace change", async () => {
    const stream = await openEventStream(server, bob);
    const carol = await signUp(server, `carol-${Date.now()}@example.test`);
    await api(server, alice, "POST", `/api/workspaces/${workspaceId}/members`, { email: carol.email, role: "viewer" });
    await stream.waitFor((event) => event.data.what === "members", "the new member");
    const agent = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Proofreader", persona: "editor" });
    expect(agent.status).toBe(201);
    await stream.waitFor((event) => event.data.what === "agents", "the new agent");
    await api(server, alice, "PATCH", `/api/workspaces/${workspaceId}`, { name: "Team 2" });
    await stream.waitFor((event) => event.data.what === "workspace", "the rename of the workspace");
    stream.close();
  });

  it("stops sending a removed member anything about the workspace at once", async () => {
    const dana = await signUp(server, `dana-${Date.now()}@example.test`);
    await api(server, alice, "POST", `/api/workspaces/${workspaceId}/members`, { email: dana.email, role: "editor" });
    // A second workspace Dana stays in: its events show that her stream still works.
    const other = (await api(server, alice, "POST", "/api/workspaces", { name: "Other" })).body.id as string;
    await api(server, alice, "POST", `/api/workspaces/${other}/members`, { email: dana.email, role: "viewer" });
    const stream = await openEventStream(server, dana);

    await api(server, alice, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "Seen", kind: "doc" });
    await stream.waitFor((event) => event.data.workspaceId === workspaceId && event.data.what === "canvases", "a canvas while still a member");
    expect((await api(server, alice, "DELETE", `/api/workspaces/${workspaceId}/members/${dana.id}`)).status).toBe(204);
    await stream.waitFor((event) => event.data.workspaceId === workspaceId && event.data.what === "members", "her removal");
    const seenBefore = stream.events.length;

    await api(server, alice, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "Secret", kind: "doc" });
    await api(server, alice, "POST", `/api/workspaces/${other}/canvases`, { title: "Public", kind: "doc" });
    await stream.waitFor((event) => event.data.workspaceId === other && event.data.what === "canvases", "the other workspace's canvas");
    const after = stream.events.slice(seenBefore);
    expect(after.map((event) => event.data.workspaceId)).toEqual([other]);
    stream.close();
  });

  it("ends the stream when its token is deleted", async () => {
    const erin = await signUp(server, `erin-${Date.now()}@example.test`);
    const stream = await openEventStream(server, erin);
    const tokens = await api(server, erin, "GET", "/api/tokens");
    const [token] = tokens.body.items as { id: string }[];
    expect((await api(server, erin, "DELETE", `/api/tokens/${token!.id}`)).status).toBe(204);
    await stream.ended;
    expect(stream.isClosed()).toBe(true);
  });

  it("ends a browser's stream when its session logs out", async () => {
    const fay = await signUp(server, `fay-${Date.now()}@example.test`);
    const stream = await openEventStream(server, fay, "cookie");
    const logout = await fetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { cookie: fay.cookie, "x-csrf-token": fay.csrfToken, "content-type": "application/json" }, body: "{}" });
    expect(logout.status).toBe(204);
    await stream.ended;
    expect(stream.isClosed()).toBe(true);
    // The stream it opened with the token is another credential: it goes on.
    const tokenStream = await openEventStream(server, fay);
    expect(tokenStream.isClosed()).toBe(false);
    tokenStream.close();
  });
});

describe("the stream's heartbeat", () => {
  it("re-checks the token, so a revocation the server was not told about still ends the stream", async () => {
    const server = await startTestServer({ eventsHeartbeatSeconds: 1 });
    try {
      const gus = await signUp(server, "gus@example.test");
      const stream = await openEventStream(server, gus);
      const [token] = (await api(server, gus, "GET", "/api/tokens")).body.items as { id: string }[];
      // As another process would (a CLI on the same database): the row goes, no route runs.
      expect(await server.storage.deleteToken(gus.id, token!.id)).toBe(true);
      await stream.ended;
      expect(stream.isClosed()).toBe(true);
    } finally {
      await server.close();
    }
  });
});

import { createHash } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import { openSqliteStorage, type RunningServer } from "@cocanvas/server";
import { migrations } from "../packages/server/src/storage/migrations.ts";
import { api, connect, eventually, signUp, startTestServer, synced, temporaryDataDir, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let guest: TestUser;
let other: TestUser;
let member: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  guest = await signUp(server, "guest@example.com");
  other = await signUp(server, "other@example.com");
  member = await signUp(server, "member@example.com");
});
afterAll(() => server.close());

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

test("revoking an editor link takes away the access it gave, at once and on open connections", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner);
  const link = (await api(server, owner, "POST", `/api/canvases/${canvasId}/shares`, { role: "editor" })).body;
  expect((await api(server, guest, "POST", `/api/shares/${link.token}/accept`)).body.role).toBe("editor");
  expect((await api(server, guest, "PATCH", `/api/canvases/${canvasId}`, { title: "Edited by the guest" })).status).toBe(200);

  // The grant is listed, with the link it came from; the link counts the person.
  const grants = (await api(server, owner, "GET", `/api/canvases/${canvasId}/grants`)).body.items;
  expect(grants).toEqual([expect.objectContaining({ userId: guest.id, email: guest.email, role: "editor", shareLinkId: link.id })]);
  expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/shares`)).body.items).toEqual([expect.objectContaining({ id: link.id, people: 1 })]);

  const live = connect(server.url, canvasId, guest.token);
  await synced(live.provider);
  let closed = false;
  live.provider.on("close", () => (closed = true));

  expect((await api(server, owner, "DELETE", `/api/canvases/${canvasId}/shares/${link.id}`)).status).toBe(204);
  expect((await api(server, guest, "GET", `/api/canvases/${canvasId}`)).status).toBe(404);
  expect((await api(server, guest, "PATCH", `/api/canvases/${canvasId}`, { title: "Still mine?" })).status).toBe(404);
  expect((await api(server, guest, "GET", "/api/shared")).body.items).toEqual([]);
  expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/grants`)).body.items).toEqual([]);

  // The open connection is closed, and a new one is refused.
  await eventually(() => closed, "the guest's live connection to close");
  live.destroy();
  const again = connect(server.url, canvasId, guest.token);
  let refused = false;
  again.provider.on("authenticationFailed", () => (refused = true));
  await eventually(() => refused, "the guest's new connection to be refused");
  again.destroy();
});

test("editors and owners of the workspace remove one person's grant; the others keep theirs", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc", [[member, "editor"]]);
  const link = (await api(server, owner, "POST", `/api/canvases/${canvasId}/shares`, { role: "commenter" })).body;
  await api(server, guest, "POST", `/api/shares/${link.token}/accept`);
  await api(server, other, "POST", `/api/shares/${link.token}/accept`);

  expect((await api(server, member, "DELETE", `/api/canvases/${canvasId}/grants/${guest.id}`)).status).toBe(204);
  expect((await api(server, guest, "GET", `/api/canvases/${canvasId}`)).status).toBe(404);
  expect((await api(server, other, "GET", `/api/canvases/${canvasId}`)).body.role).toBe("commenter");
  expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/grants`)).body.items.map((grant: any) => grant.userId)).toEqual([other.id]);
  // A second removal, or of someone who holds no grant, is a clear 404.
  expect((await api(server, owner, "DELETE", `/api/canvases/${canvasId}/grants/${guest.id}`)).status).toBe(404);
  // The person can leave by themselves.
  expect((await api(server, other, "DELETE", `/api/canvases/${canvasId}/grants/${other.id}`)).status).toBe(204);
  expect((await api(server, other, "GET", "/api/shared")).body.items).toEqual([]);
});

test("someone who got editor through a link cannot mint links, list or remove grants", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner);
  const link = (await api(server, owner, "POST", `/api/canvases/${canvasId}/shares`, { role: "editor" })).body;
  await api(server, guest, "POST", `/api/shares/${link.token}/accept`);
  await api(server, other, "POST", `/api/shares/${link.token}/accept`);

  const minted = await api(server, guest, "POST", `/api/canvases/${canvasId}/shares`, { role: "editor" });
  expect(minted.status).toBe(403);
  expect(minted.body.error.message).toMatch(/share link does not pass on the right to share/);
  expect((await api(server, guest, "GET", `/api/canvases/${canvasId}/shares`)).status).toBe(403);
  expect((await api(server, guest, "GET", `/api/canvases/${canvasId}/grants`)).status).toBe(403);
  expect((await api(server, guest, "DELETE", `/api/canvases/${canvasId}/grants/${other.id}`)).status).toBe(403);
  expect((await api(server, guest, "DELETE", `/api/canvases/${canvasId}/shares/${link.id}`)).status).toBe(403);
  expect((await api(server, other, "GET", `/api/canvases/${canvasId}`)).body.role).toBe("editor");
});

test("share tokens are kept only as their hash; links are not listed with their token", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner);
  const link = (await api(server, owner, "POST", `/api/canvases/${canvasId}/shares`, { role: "viewer" })).body;
  expect(link.url).toMatch(new RegExp(`/s/${link.token}$`));
  const listed = (await api(server, owner, "GET", `/api/canvases/${canvasId}/shares`)).body.items;
  expect(JSON.stringify(listed)).not.toContain(link.token);

  const db = new Database(path.join(server.config.dataDir, "cocanvas.db"), { readonly: true });
  const stored = db.prepare("SELECT token FROM share_links WHERE id = ?").pluck().get(link.id);
  const everything = db.prepare("SELECT * FROM share_links").all();
  db.close();
  expect(stored).toBe(sha256(link.token));
  expect(JSON.stringify(everything)).not.toContain(link.token);
  // A signed-out visitor holding the link sees what it opens.
  expect((await api(server, null, "GET", `/api/shares/${link.token}`)).body).toMatchObject({ canvasId, title: "Plan", role: "viewer", workspaceName: "Team" });
  expect((await api(server, null, "GET", `/api/shares/${sha256(link.token)}`)).status).toBe(404);
});

test("links made before tokens were hashed keep working after the upgrade, and are hashed", () => {
  const dataDir = temporaryDataDir();
  const hashing = migrations.findIndex((migration) => migration.includes("cocanvas_sha256"));
  const db = new Database(path.join(dataDir, "cocanvas.db"));
  for (const migration of migrations.slice(0, hashing)) db.exec(migration);
  db.pragma(`user_version = ${hashing}`);
  const at = new Date().toISOString();
  db.prepare("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u', 'a@example.com', 'A', 'x', ?)").run(at);
  db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'W', ?)").run(at);
  db.prepare("INSERT INTO canvases (id, workspace_id, title, kind, created_at, updated_at) VALUES ('c', 'w', 'Old', 'doc', ?, ?)").run(at, at);
  db.prepare("INSERT INTO share_links (id, canvas_id, token, role, created_at) VALUES ('l', 'c', 'plain-old-token', 'viewer', ?)").run(at);
  db.close();

  const storage = openSqliteStorage(dataDir);
  return (async () => {
    expect(await storage.sharing.getShareLinkByTokenHash(sha256("plain-old-token"))).toMatchObject({ id: "l", canvasId: "c" });
    expect(await storage.sharing.getShareLinkByTokenHash("plain-old-token")).toBeNull();
    await storage.close();
  })();
});

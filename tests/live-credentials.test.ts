import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";
import { runCli } from "./helpers/child-server.ts";
import { socketCloses } from "./helpers/live.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const paragraph = (text: string) => {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  return element;
};
const write = (document: Y.Doc, text: string) => document.getXmlFragment("content").push([paragraph(text)]);
const exported = async (user: TestUser, canvasId: string) => (await api(server, user, "GET", `/api/canvases/${canvasId}/export?format=md`)).body as string;

/** A stock provider authenticated by the session cookie, as a page of `origin` would be. */
function connectWithCookie(user: TestUser, canvasId: string, origin = server.url) {
  const socket = new HocuspocusProviderWebsocket({
    url: `${server.url.replace("http", "ws")}/collab`,
    WebSocketPolyfill: class extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { cookie: user.cookie, origin } });
      }
    },
  });
  const document = new Y.Doc();
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: canvasId, token: "session", document });
  provider.attach();
  return { provider, socket, document, destroy: () => (provider.destroy(), socket.destroy()) };
}

function failures(provider: HocuspocusProvider) {
  const seen = { count: 0 };
  provider.on("authenticationFailed", () => seen.count++);
  return seen;
}

test("deleting an API token ends at once the live connections it authenticated, and only those", async () => {
  const owner = await signUp(server, "token-owner@example.com");
  const { canvasId } = await workspaceWithCanvas(server, owner);
  const second = await api(server, owner, "POST", "/api/tokens", { name: "script" });
  const revoked = connect(server.url, canvasId, second.body.token);
  const kept = connect(server.url, canvasId, owner.token);
  await Promise.all([synced(revoked.provider), synced(kept.provider)]);
  const revokedCloses = socketCloses(revoked.socket);
  const keptCloses = socketCloses(kept.socket);
  const revokedFailures = failures(revoked.provider);

  expect((await api(server, owner, "DELETE", `/api/tokens/${second.body.id}`)).status).toBe(204);
  write(revoked.document, "written after the token was deleted");
  await eventually(() => revokedCloses.includes(4401), "the revoked token's socket to close with 4401");
  await eventually(() => revokedFailures.count > 0, "its reconnection to be refused");

  write(kept.document, "written with the other token");
  await eventually(() => kept.provider.unsyncedChanges === 0, "the other token's edit to be acknowledged");
  const text = await exported(owner, canvasId);
  expect(text).toContain("written with the other token");
  expect(text).not.toContain("after the token was deleted");
  expect(keptCloses).toEqual([]);
  revoked.destroy();
  kept.destroy();
});

test("logging out ends the live connections of that session, not the account's other ones", async () => {
  const user = await signUp(server, "logout@example.com");
  const { canvasId } = await workspaceWithCanvas(server, user);
  const browser = connectWithCookie(user, canvasId);
  const script = connect(server.url, canvasId, user.token);
  await Promise.all([synced(browser.provider), synced(script.provider)]);
  const browserCloses = socketCloses(browser.socket);
  const scriptCloses = socketCloses(script.socket);
  const browserFailures = failures(browser.provider);

  const logout = await fetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { cookie: user.cookie, "x-csrf-token": user.csrfToken } });
  expect(logout.status).toBe(204);
  write(browser.document, "written after logging out");
  await eventually(() => browserCloses.includes(4401), "the session's socket to close with 4401");
  await eventually(() => browserFailures.count > 0, "its reconnection to be refused");

  write(script.document, "written by the script");
  await eventually(() => script.provider.unsyncedChanges === 0, "the script's edit to be acknowledged");
  const text = await exported(user, canvasId);
  expect(text).toContain("written by the script");
  expect(text).not.toContain("after logging out");
  expect(scriptCloses).toEqual([]);
  browser.destroy();
  script.destroy();
});

test("a session cookie from a page of the same host but another scheme cannot join", async () => {
  const user = await signUp(server, "scheme@example.com");
  const { canvasId } = await workspaceWithCanvas(server, user);
  const other = connectWithCookie(user, canvasId, server.url.replace(/^http:/, "https:"));
  const refused = failures(other.provider);
  await eventually(() => refused.count > 0, "the other scheme's page to be refused");
  expect(other.provider.isSynced).toBe(false);
  other.destroy();
});

test("an account disabled by the CLI, in another process on the same data folder, loses its open live connection", async () => {
  const owner = await signUp(server, "cli-owner@example.com");
  const editor = await signUp(server, "cli-disabled@example.com");
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc", [[editor, "editor"]]);
  const live = connect(server.url, canvasId, editor.token);
  await synced(live.provider);
  const closes = socketCloses(live.socket);
  write(live.document, "written while the account was enabled");
  await eventually(() => live.provider.unsyncedChanges === 0, "the edit to be acknowledged");

  const disabled = await runCli(["user", "disable", "--email", editor.email], { COCANVAS_DATA_DIR: server.config.dataDir });
  expect(disabled.code, disabled.stderr).toBe(0);
  // No route of the server announced it: its periodic re-check of open connections finds it.
  await eventually(() => closes.includes(4401), "the disabled account's socket to close with 4401", 60_000);
  write(live.document, "written after the account was disabled");
  const text = await exported(owner, canvasId);
  expect(text).toContain("written while the account was enabled");
  expect(text).not.toContain("after the account was disabled");
  live.provider.destroy();
  live.socket.destroy();
}, 120_000);

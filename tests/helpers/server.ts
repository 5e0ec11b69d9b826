import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { startServer, type RunningServer } from "@cocanvas/server";
import { temporaryDir } from "./temporary.ts";

export const password = "correct horse battery";

/** The smallest valid PNG (1x1). */
export const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+P+/HgAFhAJ/wlseKgAAAABJRU5ErkJggg==", "base64");

/** A fresh data folder under the OS temp dir, removed after the test file. */
export function temporaryDataDir(): string {
  return temporaryDir("data");
}

/** Starts a server on a random port with its own data folder. */
export async function startTestServer(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  return startServer({ port: 0, dataDir: temporaryDataDir(), logLevel: "silent", webDir: null, ...options });
}

export interface TestUser {
  id: string;
  email: string;
  /** API token (Bearer). */
  token: string;
  /** Session cookie header value and CSRF token, as a browser would hold them. */
  cookie: string;
  csrfToken: string;
}

/** Signs up through the API and creates an API token for the new account. */
export async function signUp(server: RunningServer, email: string): Promise<TestUser> {
  const response = await fetch(`${server.url}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 201) throw new Error(`signup ${email}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string }; csrfToken: string };
  const cookie = response.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const tokenResponse = await fetch(`${server.url}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": body.csrfToken },
    body: JSON.stringify({ name: "test" }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  return { id: body.user.id, email, token, cookie, csrfToken: body.csrfToken };
}

/** Calls the API with a user's token; returns status and parsed body. */
export async function api(server: RunningServer, user: TestUser | null, method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, body: json, headers: response.headers };
}

/** Creates a workspace owned by `owner` with one canvas; adds other members with roles. */
export async function workspaceWithCanvas(server: RunningServer, owner: TestUser, kind: "doc" | "code" = "doc", members: [TestUser, string][] = []) {
  const workspace = await api(server, owner, "POST", "/api/workspaces", { name: "Team" });
  const canvas = await api(server, owner, "POST", `/api/workspaces/${workspace.body.id}/canvases`, { title: "Plan", kind });
  for (const [member, role] of members) {
    await api(server, owner, "POST", `/api/workspaces/${workspace.body.id}/members`, { email: member.email, role });
  }
  return { workspaceId: workspace.body.id as string, canvasId: canvas.body.id as string };
}

/** A stock Hocuspocus provider, as any script or bot would use, with its own socket. */
export function connect(url: string, canvasId: string, token: string, document = new Y.Doc()) {
  const socket = new HocuspocusProviderWebsocket({ url: url.replace(/^http/, "ws") + "/collab", WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: canvasId, token, document });
  provider.attach();
  const destroy = () => {
    provider.destroy();
    socket.destroy();
  };
  return { provider, document, socket, destroy };
}

/** Resolves when `predicate` holds, polling; rejects after `timeout` ms with `what`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const synced = (provider: HocuspocusProvider) =>
  eventually(() => provider.isSynced, "the provider to sync");

/**
 * Resolves once `watcher` has seen everything `client` sent before this call had been
 * handled by the server: the client announces a fresh awareness field, which the server
 * relays only after the client's earlier messages. Use it before asserting that something
 * the client sent (an update it may not write) did *not* arrive, instead of sleeping.
 */
export async function handledByServer(client: HocuspocusProvider, watcher: HocuspocusProvider): Promise<void> {
  const marker = `${Date.now()}-${Math.random()}`;
  client.setAwarenessField("barrier", marker);
  await eventually(() => watcher.awareness?.getStates().get(client.document.clientID)?.barrier === marker, "the server to relay the client's marker");
}

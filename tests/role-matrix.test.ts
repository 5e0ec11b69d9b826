import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import type { RunningServer } from "@cocanvas/server";
import { scriptedModels } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, handledByServer, png, signUp, startTestServer, synced, type TestUser } from "./helpers/server.ts";

// Every AI run in the matrix suggests inserting one word; a memory reflection (JSON asked for) remembers nothing.
const models = scriptedModels();
models.use((call, step) =>
  call.responseFormat?.type === "json" ? [{ text: '{"style":[],"facts":[]}' }] : step === 0 ? [{ tool: "insert", input: { after: "", text: "Hello" } }] : [{ text: "Done." }],
);


type Role = "owner" | "editor" | "commenter" | "viewer";
const ladder: Role[] = ["viewer", "commenter", "editor", "owner"];
const callers = ["anonymous", "stranger", ...ladder] as const;
type Caller = (typeof callers)[number];

let server: RunningServer;
const users = {} as Record<Exclude<Caller, "anonymous">, TestUser> & { extra: TestUser };

beforeAll(async () => {
  server = await startTestServer({ models });
  for (const name of ["owner", "editor", "commenter", "viewer", "stranger", "extra"] as const) {
    users[name] = await signUp(server, `${name}@example.com`);
  }
});
afterAll(() => server.close());

interface Fixture {
  workspaceId: string;
  canvasId: string;
  versionId: string;
  shareId: string;
  uploadId: string;
  extraUserId: string;
  runId: string;
  suggestionId: string;
  quickActionId: string;
  threadId: string;
  messageId: string;
  agentId: string;
}

// A range at the start of the document: a relative position naming only the root fragment, valid in any canvas.
const startAnchor = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment("content"), 0))).toString("base64");
const commentBody = () => ({ selection: { from: startAnchor, to: startAnchor }, text: "A comment" });

/** A fresh workspace where each role is held by the user of that name. */
async function fixture(): Promise<Fixture> {
  const owner = users.owner;
  const workspace = await api(server, owner, "POST", "/api/workspaces", { name: "Matrix" });
  const workspaceId = workspace.body.id;
  for (const role of ["editor", "commenter", "viewer"] as const) {
    await api(server, owner, "POST", `/api/workspaces/${workspaceId}/members`, { email: users[role].email, role });
  }
  await api(server, owner, "POST", `/api/workspaces/${workspaceId}/members`, { email: users.extra.email, role: "viewer" });
  const canvas = await api(server, owner, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "Doc", kind: "doc" });
  const canvasId = canvas.body.id;
  const version = await api(server, owner, "POST", `/api/canvases/${canvasId}/versions`, { name: "v1" });
  const share = await api(server, owner, "POST", `/api/canvases/${canvasId}/shares`, { role: "viewer" });
  const upload = await uploadImage(owner, canvasId);
  const run = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Greet" });
  await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${run.body.runId}`)).body.running === false, "the AI run to end");
  const suggestionId = (await api(server, owner, "GET", `/api/ai/runs/${run.body.runId}`)).body.suggestions[0].id;
  const quickAction = await api(server, owner, "POST", "/api/quick-actions", { workspaceId, name: "Shared", prompt: "Do it.", scope: "workspace" });
  const agent = await api(server, owner, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Matrix agent" });
  const thread = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, commentBody());
  return {
    workspaceId,
    canvasId,
    versionId: version.body.id,
    shareId: share.body.id,
    uploadId: upload.body.id,
    extraUserId: users.extra.id,
    runId: run.body.runId,
    suggestionId,
    quickActionId: quickAction.body.id,
    threadId: thread.body.id,
    messageId: thread.body.messages[0].id,
    agentId: agent.body.id,
  };
}

async function uploadImage(user: TestUser | null, canvasId: string) {
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), "dot.png");
  const response = await fetch(`${server.url}/api/canvases/${canvasId}/uploads`, {
    method: "POST",
    headers: user ? { authorization: `Bearer ${user.token}` } : {},
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
}

interface Route {
  method: string;
  path: (fixture: Fixture) => string;
  body?: (fixture: Fixture) => unknown;
  needs: Role;
  setup?: (fixture: Fixture) => Promise<void>;
  upload?: true;
}

const routes: Route[] = [
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}`, needs: "viewer" },
  { method: "PATCH", path: (f) => `/api/workspaces/${f.workspaceId}`, body: () => ({ name: "Renamed" }), needs: "owner" },
  { method: "DELETE", path: (f) => `/api/workspaces/${f.workspaceId}`, needs: "owner" },
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}/export`, needs: "owner" },
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}/members`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/workspaces/${f.workspaceId}/members`, body: () => ({ email: users.stranger.email, role: "viewer" }), needs: "owner" },
  { method: "PATCH", path: (f) => `/api/workspaces/${f.workspaceId}/members/${f.extraUserId}`, body: () => ({ role: "editor" }), needs: "owner" },
  { method: "DELETE", path: (f) => `/api/workspaces/${f.workspaceId}/members/${f.extraUserId}`, needs: "owner" },
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}/canvases`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/workspaces/${f.workspaceId}/canvases`, body: () => ({ title: "New", kind: "code" }), needs: "editor" },
  { method: "POST", path: (f) => `/api/workspaces/${f.workspaceId}/import`, body: () => ({ kind: "doc", title: "Imported", markdown: "# Hi" }), needs: "editor" },
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}/model`, needs: "viewer" },
  { method: "PUT", path: (f) => `/api/workspaces/${f.workspaceId}/model`, body: () => ({ model: "ollama:qwen2.5" }), needs: "owner" },
  { method: "GET", path: (f) => `/api/models?workspaceId=${f.workspaceId}`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}`, needs: "viewer" },
  { method: "PATCH", path: (f) => `/api/canvases/${f.canvasId}`, body: () => ({ title: "Renamed" }), needs: "editor" },
  { method: "DELETE", path: (f) => `/api/canvases/${f.canvasId}`, needs: "editor" },
  {
    method: "DELETE",
    path: (f) => `/api/canvases/${f.canvasId}?permanent=true`,
    needs: "owner",
    setup: async (f) => void (await api(server, users.owner, "DELETE", `/api/canvases/${f.canvasId}`)),
  },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/restore`, needs: "editor" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/export?format=md`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/versions`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/versions`, body: () => ({ name: "mine" }), needs: "editor" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/versions/${f.versionId}`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/diff?from=${f.versionId}&to=current`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/versions/${f.versionId}/restore`, needs: "editor" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/shares`, needs: "editor" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/shares`, body: () => ({ role: "commenter" }), needs: "editor" },
  { method: "DELETE", path: (f) => `/api/canvases/${f.canvasId}/shares/${f.shareId}`, needs: "editor" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/uploads`, needs: "editor", upload: true },
  { method: "GET", path: (f) => `/api/uploads/${f.uploadId}`, needs: "viewer" },
  // Commenters may ask agents too (their agents comment but do not edit).
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/ai/runs`, body: () => ({ instruction: "Greet" }), needs: "commenter" },
  // Choosing the model (it spends the server's keys) is for owners only (decision 0016).
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/ai/runs`, body: () => ({ instruction: "Greet", model: "openai:gpt-4.1-mini" }), needs: "owner" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/ai/runs`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/ai/runs/${f.runId}`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/ai/runs/${f.runId}/events`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/ai/runs/${f.runId}/stop`, needs: "commenter" },
  { method: "POST", path: (f) => `/api/ai/runs/${f.runId}/feedback`, body: () => ({ rating: "up" }), needs: "viewer" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/suggestions`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/suggestions/${f.suggestionId}/accept`, body: () => ({}), needs: "editor" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/suggestions/${f.suggestionId}/reject`, body: () => ({}), needs: "editor" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/suggestions/accept-all`, body: () => ({}), needs: "editor" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/suggestions/reject-all`, body: () => ({}), needs: "editor" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/quick-actions`, needs: "viewer" },
  { method: "POST", path: () => "/api/quick-actions", body: (f) => ({ workspaceId: f.workspaceId, name: "Mine", prompt: "Do it.", scope: "workspace" }), needs: "editor" },
  { method: "DELETE", path: (f) => `/api/quick-actions/${f.quickActionId}`, needs: "owner" },
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}/agents`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/workspaces/${f.workspaceId}/agents`, body: () => ({ name: "Another agent" }), needs: "editor" },
  { method: "POST", path: (f) => `/api/workspaces/${f.workspaceId}/agents`, body: () => ({ name: "Agent with a model", model: "ollama:qwen2.5" }), needs: "owner" },
  // The fixture's agent was made by the owner: only its author or an owner may change it.
  { method: "PATCH", path: (f) => `/api/agents/${f.agentId}`, body: () => ({ color: "#000000" }), needs: "owner" },
  { method: "DELETE", path: (f) => `/api/agents/${f.agentId}`, needs: "owner" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/activity`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/workspaces/${f.workspaceId}/memory`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/workspaces/${f.workspaceId}/memory/reflect`, needs: "viewer" },
  { method: "DELETE", path: (f) => `/api/workspaces/${f.workspaceId}/memory`, needs: "viewer" },
  { method: "GET", path: (f) => `/api/canvases/${f.canvasId}/comments`, needs: "viewer" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/comments`, body: commentBody, needs: "commenter" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/comments/${f.threadId}/replies`, body: () => ({ text: "A reply" }), needs: "commenter" },
  // The owner wrote the fixture's comment: only its author changes it; its author or an owner deletes it.
  { method: "PATCH", path: (f) => `/api/canvases/${f.canvasId}/comments/${f.threadId}/messages/${f.messageId}`, body: () => ({ text: "Changed" }), needs: "owner" },
  { method: "DELETE", path: (f) => `/api/canvases/${f.canvasId}/comments/${f.threadId}/messages/${f.messageId}`, needs: "owner" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/comments/${f.threadId}/resolve`, needs: "commenter" },
  { method: "POST", path: (f) => `/api/canvases/${f.canvasId}/comments/${f.threadId}/reopen`, needs: "commenter" },
];

function expectedStatus(caller: Caller, needs: Role): "ok" | 401 | 403 | 404 {
  if (caller === "anonymous") return 401;
  if (caller === "stranger") return 404;
  return ladder.indexOf(caller) >= ladder.indexOf(needs) ? "ok" : 403;
}

describe("every role x every route", () => {
  for (const route of routes) {
    const label = `${route.method} ${route.path({ workspaceId: "{workspace}", canvasId: "{canvas}", versionId: "{version}", shareId: "{share}", uploadId: "{upload}", extraUserId: "{user}", runId: "{run}", suggestionId: "{suggestion}", quickActionId: "{quick-action}", threadId: "{thread}", messageId: "{message}", agentId: "{agent}" })}`;
    test(`${label} needs ${route.needs}`, async () => {
      for (const caller of callers) {
        const f = await fixture();
        await route.setup?.(f);
        const user = caller === "anonymous" ? null : users[caller];
        const result = route.upload ? await uploadImage(user, f.canvasId) : await api(server, user, route.method, route.path(f), route.body?.(f));
        const expected = expectedStatus(caller, route.needs);
        if (expected === "ok") expect(result.status, `${caller} on ${label}: ${JSON.stringify(result.body)}`).toBeLessThan(300);
        else {
          expect(result.status, `${caller} on ${label}`).toBe(expected);
          expect(typeof result.body?.error?.code, `${caller} on ${label} answers a JSON error`).toBe("string");
        }
      }
    });
  }
});

describe("the live channel enforces roles", () => {
  const paragraph = (text: string) => {
    const element = new Y.XmlElement("paragraph");
    element.insert(0, [new Y.XmlText(text)]);
    return element;
  };

  test("editors' and owners' updates are applied; viewers' and commenters' are refused; strangers cannot join", async () => {
    const f = await fixture();
    const watcher = connect(server.url, f.canvasId, users.owner.token);
    await synced(watcher.provider);
    const content = () => watcher.document.getXmlFragment("content").toString();

    for (const role of ["viewer", "commenter"] as const) {
      const client = connect(server.url, f.canvasId, users[role].token);
      await synced(client.provider);
      client.document.getXmlFragment("content").push([paragraph(`written by ${role}`)]);
      await handledByServer(client.provider, watcher.provider);
      expect(content()).not.toContain(`written by ${role}`);
      // Read access still works: the viewer sees the owner's edits live.
      watcher.document.getXmlFragment("content").push([paragraph(`for ${role} to read`)]);
      await eventually(() => client.document.getXmlFragment("content").toString().includes(`for ${role} to read`), `${role} to receive edits`);
      client.destroy();
    }
    const stored = await api(server, users.owner, "GET", `/api/canvases/${f.canvasId}/export?format=md`);
    expect(stored.body).not.toContain("written by");

    const editor = connect(server.url, f.canvasId, users.editor.token);
    await synced(editor.provider);
    editor.document.getXmlFragment("content").push([paragraph("written by editor")]);
    await eventually(() => content().includes("written by editor"), "the editor's edit to arrive");
    editor.destroy();

    for (const token of [users.stranger.token, "cc_not-a-token", ""]) {
      const intruder = connect(server.url, f.canvasId, token);
      let failed = false;
      intruder.provider.on("authenticationFailed", () => (failed = true));
      await eventually(() => failed, "authentication to fail");
      expect(intruder.provider.isSynced).toBe(false);
      intruder.destroy();
    }
    watcher.destroy();
  });

  test("a browser session from another site's page cannot join (Origin is checked)", async () => {
    const f = await fixture();
    const { default: WebSocket } = await import("ws");
    const { HocuspocusProvider, HocuspocusProviderWebsocket } = await import("@hocuspocus/provider");
    const providerSocket = new HocuspocusProviderWebsocket({
      url: `${server.url.replace("http", "ws")}/collab`,
      WebSocketPolyfill: class extends WebSocket {
        constructor(url: string) {
          super(url, { headers: { cookie: users.owner.cookie, origin: "https://evil.example" } });
        }
      },
    });
    const provider = new HocuspocusProvider({ websocketProvider: providerSocket, name: f.canvasId, token: "session" });
    provider.attach();
    let failed = false;
    provider.on("authenticationFailed", () => (failed = true));
    await eventually(() => failed, "cross-site authentication to fail");
    provider.destroy();
    providerSocket.destroy();

    const sameSite = new HocuspocusProviderWebsocket({
      url: `${server.url.replace("http", "ws")}/collab`,
      WebSocketPolyfill: class extends WebSocket {
        constructor(url: string) {
          super(url, { headers: { cookie: users.owner.cookie, origin: server.url } });
        }
      },
    });
    const allowed = new HocuspocusProvider({ websocketProvider: sameSite, name: f.canvasId, token: "session" });
    allowed.attach();
    await synced(allowed);
    allowed.destroy();
    sameSite.destroy();
  });
});

import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, type TestUser } from "./helpers/server.ts";
import { socketCloses } from "./helpers/live.ts";

let server: RunningServer;
let owner: TestUser;
let editor: TestUser;
let other: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  editor = await signUp(server, "editor@example.com");
  other = await signUp(server, "other@example.com");
  outsider = await signUp(server, "outsider@example.com");
});
afterAll(() => server.close());

/** A workspace with canvases A and B; the editor and the other member are editors. */
async function workspace() {
  const created = await api(server, owner, "POST", "/api/workspaces", { name: "Team" });
  const workspaceId = created.body.id as string;
  const canvasA = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "A", kind: "doc" })).body.id as string;
  const canvasB = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "B", kind: "doc" })).body.id as string;
  for (const member of [editor, other]) await api(server, owner, "POST", `/api/workspaces/${workspaceId}/members`, { email: member.email, role: "editor" });
  return { workspaceId, canvasA, canvasB };
}

const write = (document: Y.Doc, text: string) => {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  document.getXmlFragment("content").push([paragraph]);
};
const acknowledged = (provider: HocuspocusProvider, what: string) => eventually(() => provider.unsyncedChanges === 0, what);
const exported = async (canvasId: string) => (await api(server, owner, "GET", `/api/canvases/${canvasId}/export?format=md`)).body as string;
const setRole = (workspaceId: string, member: TestUser, role: string) => api(server, owner, "PATCH", `/api/workspaces/${workspaceId}/members/${member.id}`, { role });

/** Records what a provider goes through: socket closes, document-level closes, authentications and refusals. */
function watch(client: ReturnType<typeof connect>) {
  const seen = { socketCloses: socketCloses(client.socket), documentCloses: 0, authentications: 0, failures: 0 };
  client.provider.on("close", () => seen.documentCloses++);
  client.provider.on("authenticated", () => seen.authentications++);
  client.provider.on("authenticationFailed", () => seen.failures++);
  return seen;
}

test("changing a member's role leaves everyone else's live editing alone, on every canvas", async () => {
  const { workspaceId, canvasA, canvasB } = await workspace();
  const ownerOnA = connect(server.url, canvasA, owner.token);
  const editorOnB = connect(server.url, canvasB, editor.token);
  await Promise.all([synced(ownerOnA.provider), synced(editorOnB.provider)]);
  const ownerSeen = watch(ownerOnA);
  const editorSeen = watch(editorOnB);

  // The other member (not connected) becomes a viewer, then is removed; both typed at once after each change.
  expect((await setRole(workspaceId, other, "viewer")).status).toBe(200);
  write(ownerOnA.document, "owner typed right after the role change");
  write(editorOnB.document, "editor typed right after the role change");
  // A stalled provider would wait ~30 s for its idle reconnect; these must go through now.
  await acknowledged(ownerOnA.provider, "the owner's edit on A to be acknowledged");
  await acknowledged(editorOnB.provider, "the editor's edit on B to be acknowledged");
  expect((await api(server, owner, "DELETE", `/api/workspaces/${workspaceId}/members/${other.id}`)).status).toBe(204);
  write(ownerOnA.document, "owner typed right after the removal");
  await acknowledged(ownerOnA.provider, "the owner's next edit to be acknowledged");

  expect(await exported(canvasA)).toContain("owner typed right after the removal");
  expect(await exported(canvasB)).toContain("editor typed right after the role change");
  for (const seen of [ownerSeen, editorSeen]) expect(seen).toMatchObject({ socketCloses: [], documentCloses: 0, failures: 0 });
  ownerOnA.destroy();
  editorOnB.destroy();
});

test("the member whose role changed is re-authorised at once: demoted, read-only; promoted, editing again", async () => {
  const { workspaceId, canvasA, canvasB } = await workspace();
  const ownerOnA = connect(server.url, canvasA, owner.token);
  const editorOnB = connect(server.url, canvasB, editor.token);
  await Promise.all([synced(ownerOnA.provider), synced(editorOnB.provider)]);
  const ownerSeen = watch(ownerOnA);
  const editorSeen = watch(editorOnB);

  await setRole(workspaceId, editor, "viewer");
  await eventually(() => editorSeen.socketCloses.includes(4409), "the demoted editor's socket to close with 4409");
  await eventually(() => editorSeen.authentications > 0 && editorOnB.provider.authorizedScope === "readonly", "the demoted editor to be re-authorised read-only");
  write(editorOnB.document, "written as a viewer");
  await setRole(workspaceId, editor, "editor");
  await eventually(() => editorSeen.authentications > 1 && editorOnB.provider.authorizedScope === "read-write", "the promoted editor to be re-authorised read-write");
  write(editorOnB.document, "written as an editor again");
  await eventually(async () => (await exported(canvasB)).includes("written as an editor again"), "the editor's edit to arrive");
  // The owner, on another canvas, never noticed.
  write(ownerOnA.document, "owner still typing");
  await acknowledged(ownerOnA.provider, "the owner's edit to be acknowledged");
  expect(ownerSeen).toMatchObject({ socketCloses: [], documentCloses: 0, failures: 0 });
  ownerOnA.destroy();
  editorOnB.destroy();
});

test("removing a member, deleting a canvas or the workspace ends those connections and only those", async () => {
  const { workspaceId, canvasA, canvasB } = await workspace();
  const ownerOnA = connect(server.url, canvasA, owner.token);
  const editorOnA = connect(server.url, canvasA, editor.token);
  const otherOnB = connect(server.url, canvasB, other.token);
  const ownerOnB = connect(server.url, canvasB, owner.token);
  await Promise.all([ownerOnA, editorOnA, otherOnB, ownerOnB].map((client) => synced(client.provider)));
  const seen = new Map([ownerOnA, editorOnA, otherOnB, ownerOnB].map((client) => [client, watch(client)]));

  await api(server, owner, "DELETE", `/api/workspaces/${workspaceId}/members/${editor.id}`);
  await eventually(() => seen.get(editorOnA)!.failures > 0, "the removed member to be refused on reconnecting");
  expect(seen.get(editorOnA)!.socketCloses[0]).toBe(4409);

  await api(server, owner, "DELETE", `/api/canvases/${canvasB}`);
  await eventually(() => seen.get(otherOnB)!.failures > 0 && seen.get(ownerOnB)!.failures > 0, "everyone on the trashed canvas to be refused");
  write(ownerOnA.document, "still on A");
  await acknowledged(ownerOnA.provider, "the owner's edit on A to be acknowledged");
  expect(seen.get(ownerOnA)).toMatchObject({ socketCloses: [], documentCloses: 0, failures: 0 });

  await api(server, owner, "DELETE", `/api/workspaces/${workspaceId}`);
  await eventually(() => seen.get(ownerOnA)!.failures > 0, "the owner to be refused once the workspace is gone");
  expect(seen.get(ownerOnA)!.socketCloses[0]).toBe(4409);
  for (const client of [ownerOnA, editorOnA, otherOnB, ownerOnB]) client.destroy();
});

test("a share link that raises someone's role re-authorises their open connection", async () => {
  const { canvasA } = await workspace();
  const link = async (role: string) => (await api(server, owner, "POST", `/api/canvases/${canvasA}/shares`, { role })).body.token as string;
  await api(server, outsider, "POST", `/api/shares/${await link("viewer")}/accept`);
  const outsiderOnA = connect(server.url, canvasA, outsider.token);
  await synced(outsiderOnA.provider);
  const ownerOnA = connect(server.url, canvasA, owner.token);
  await synced(ownerOnA.provider);
  const outsiderSeen = watch(outsiderOnA);
  const ownerSeen = watch(ownerOnA);
  expect(outsiderOnA.provider.authorizedScope).toBe("readonly");

  await api(server, outsider, "POST", `/api/shares/${await link("editor")}/accept`);
  await eventually(() => outsiderSeen.authentications > 0 && outsiderOnA.provider.authorizedScope === "read-write", "the outsider to be re-authorised read-write");
  write(outsiderOnA.document, "written through the editor link");
  await eventually(async () => (await exported(canvasA)).includes("written through the editor link"), "the outsider's edit to arrive");
  expect(outsiderSeen.socketCloses).toEqual([4409]);
  expect(ownerSeen).toMatchObject({ socketCloses: [], documentCloses: 0, failures: 0 });
  outsiderOnA.destroy();
  ownerOnA.destroy();
});

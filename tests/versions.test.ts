import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let editor: TestUser;

beforeAll(async () => {
  server = await startTestServer({ autoVersionMinutes: 0 });
  owner = await signUp(server, "owner@example.com");
  editor = await signUp(server, "editor@example.com");
});
afterAll(() => server.close());

function setParagraphs(document: Y.Doc, lines: string[]) {
  const fragment = document.getXmlFragment("content");
  document.transact(() => {
    fragment.delete(0, fragment.length);
    fragment.push(
      lines.map((line) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(line)]);
        return paragraph;
      }),
    );
  });
}

test("named versions, a readable diff, and restore as a new change both clients see", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc", [[editor, "editor"]]);
  const alice = connect(server.url, canvasId, owner.token);
  const bob = connect(server.url, canvasId, editor.token);
  await Promise.all([synced(alice.provider), synced(bob.provider)]);
  const markdown = async () => (await api(server, owner, "GET", `/api/canvases/${canvasId}/export?format=md`)).body as string;

  setParagraphs(alice.document, ["The plan", "Ship on Friday"]);
  await eventually(() => alice.provider.unsyncedChanges === 0, "acknowledgement");
  const saved = await api(server, owner, "POST", `/api/canvases/${canvasId}/versions`, { name: "First draft" });
  expect(saved.status).toBe(201);
  expect(saved.body.kind).toBe("named");

  setParagraphs(bob.document, ["The plan", "Ship on Monday", "Tell the team"]);
  await eventually(async () => (await markdown()).includes("Monday"), "bob's edit to be stored");

  const diff = await api(server, owner, "GET", `/api/canvases/${canvasId}/diff?from=${saved.body.id}&to=current`);
  expect(diff.body.lines).toEqual(
    expect.arrayContaining([
      { type: "same", text: "The plan" },
      { type: "remove", text: "Ship on Friday" },
      { type: "add", text: "Ship on Monday" },
      { type: "add", text: "Tell the team" },
    ]),
  );
  const text = await api(server, owner, "GET", `/api/canvases/${canvasId}/versions/${saved.body.id}`);
  expect(text.body.text).toContain("Ship on Friday");

  const restored = await api(server, editor, "POST", `/api/canvases/${canvasId}/versions/${saved.body.id}/restore`);
  expect(restored.status).toBe(201);
  expect(restored.body.kind).toBe("restore");
  expect(restored.body.createdByName).toBe("editor");
  const shown = (document: Y.Doc) => document.getXmlFragment("content").toString();
  await eventually(() => shown(alice.document).includes("Ship on Friday") && !shown(alice.document).includes("Monday"), "alice to see the restore");
  await eventually(() => shown(bob.document) === shown(alice.document), "bob to see the restore");
  expect(await markdown()).toBe("The plan\n\nShip on Friday\n");

  // History was not rewritten: the edit that was undone is still a version to go back to.
  const versions = (await api(server, owner, "GET", `/api/canvases/${canvasId}/versions`)).body.items;
  expect(versions[0].kind).toBe("restore");
  expect(versions.map((version: any) => version.name)).toContain("First draft");
  alice.destroy();
  bob.destroy();
});

test("editing a canvas takes automatic versions", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc");
  const client = connect(server.url, canvasId, owner.token);
  await synced(client.provider);
  setParagraphs(client.document, ["auto saved text"]);
  const autoVersionTexts = async () => {
    const { items: versions } = (await api(server, owner, "GET", `/api/canvases/${canvasId}/versions`)).body;
    const autos = versions.filter((version: any) => version.kind === "auto");
    return Promise.all(autos.map(async (version: any) => (await api(server, owner, "GET", `/api/canvases/${canvasId}/versions/${version.id}`)).body.text));
  };
  await eventually(async () => (await autoVersionTexts()).some((text) => text.includes("auto saved text")), "an automatic version of the edit", 15_000);
  client.destroy();
});

test("restoring a code canvas brings back files and their text", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner, "code");
  const version = await api(server, owner, "POST", `/api/canvases/${canvasId}/versions`, { name: "empty main" });
  const client = connect(server.url, canvasId, owner.token);
  await synced(client.provider);
  const files = client.document.getMap<Y.Map<unknown>>("files");
  const [main] = [...files.values()];
  (main!.get("content") as Y.Text).insert(0, "console.log('changed');\n");
  files.delete([...files.keys()][0]!);
  await eventually(() => client.provider.unsyncedChanges === 0, "acknowledgement");
  await api(server, owner, "POST", `/api/canvases/${canvasId}/versions/${version.body.id}/restore`);
  await eventually(() => files.size === 1, "the file to come back");
  const exported = await api(server, owner, "GET", `/api/canvases/${canvasId}/export?format=json`);
  expect(exported.body.files).toEqual([{ path: "main.ts", language: "typescript", content: "" }]);
  client.destroy();
});

test("the end of an editing session is kept as an automatic version", async () => {
  const quiet = await startTestServer(); // default: at most one automatic version per 10 minutes while editing
  const author = await signUp(quiet, "author@example.com");
  const { canvasId } = await workspaceWithCanvas(quiet, author, "doc");
  const autoVersions = async () => (await api(quiet, author, "GET", `/api/canvases/${canvasId}/versions`)).body.items.filter((v: any) => v.kind === "auto");
  await eventually(() => quiet.loadedDocumentCount() === 0, "the new canvas to unload");
  const before = (await autoVersions()).length;

  const client = connect(quiet.url, canvasId, author.token);
  await synced(client.provider);
  setParagraphs(client.document, ["written in one sitting"]);
  await eventually(() => client.provider.unsyncedChanges === 0, "acknowledgement");
  expect((await autoVersions()).length).toBe(before);
  client.destroy();
  await eventually(async () => (await autoVersions()).length === before + 1, "a version when the session ends", 15_000);
  const [latest] = await autoVersions();
  expect((await api(quiet, author, "GET", `/api/canvases/${canvasId}/versions/${latest.id}`)).body.text).toContain("written in one sitting");
  await quiet.close();
});

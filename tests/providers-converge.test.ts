import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server, "alice@example.com");
  bob = await signUp(server, "bob@example.com");
});
afterAll(() => server.close());

function appendParagraph(document: Y.Doc, text: string) {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  document.getXmlFragment("content").push([paragraph]);
}

test("two stock Hocuspocus providers with API tokens converge on the same doc content", async () => {
  const { canvasId } = await workspaceWithCanvas(server, alice, "doc", [[bob, "editor"]]);
  const first = connect(server.url, canvasId, alice.token);
  const second = connect(server.url, canvasId, bob.token);
  await Promise.all([synced(first.provider), synced(second.provider)]);

  for (let index = 0; index < 20; index++) {
    appendParagraph(first.document, `alice ${index}`);
    appendParagraph(second.document, `bob ${index}`);
  }
  const content = (document: Y.Doc) => document.getXmlFragment("content").toString();
  await eventually(() => content(first.document) === content(second.document) && first.document.getXmlFragment("content").length === 40, "convergence");
  expect(content(first.document)).toContain("alice 19");
  expect(content(first.document)).toContain("bob 19");

  // What converged is what the server exports.
  await eventually(() => first.provider.unsyncedChanges === 0 && second.provider.unsyncedChanges === 0, "acknowledgements");
  const markdown = await api(server, alice, "GET", `/api/canvases/${canvasId}/export?format=md`);
  expect(markdown.status).toBe(200);
  expect(markdown.body).toContain("alice 19");
  expect(markdown.body).toContain("bob 19");
  first.destroy();
  second.destroy();
});

test("a code canvas's files are Y.Texts both providers edit", async () => {
  const { canvasId } = await workspaceWithCanvas(server, alice, "code", [[bob, "editor"]]);
  const first = connect(server.url, canvasId, alice.token);
  const second = connect(server.url, canvasId, bob.token);
  await Promise.all([synced(first.provider), synced(second.provider)]);
  const files = (document: Y.Doc) => document.getMap<Y.Map<unknown>>("files");
  expect(files(first.document).size).toBe(1);
  const [file] = [...files(first.document).values()];
  (file!.get("content") as Y.Text).insert(0, "const answer = 42;\n");
  await eventually(() => ([...files(second.document).values()][0]!.get("content") as Y.Text).toString() === "const answer = 42;\n", "the file to sync");
  first.destroy();
  second.destroy();
});

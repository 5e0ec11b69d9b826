import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { RunningServer } from "@cocanvas/server";
import { api, connect, eventually, handledByServer, png, signUp, startTestServer, synced, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let guest: TestUser;
let workspaceId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  guest = await signUp(server, "guest@example.com");
  workspaceId = (await api(server, owner, "POST", "/api/workspaces", { name: "Writing" })).body.id;
});
afterAll(() => server.close());

const markdown = `# Launch notes

Some **bold**, *italic*, ~~struck~~ and \`code\` with a [link](https://example.com).

- one
- two

1. first
2. second

> a quote

\`\`\`ts
const x = 1;
\`\`\`

| Name | Role |
| --- | --- |
| Ada | owner |

---
`;

test("Markdown imports as a doc canvas and exports back the same", async () => {
  const created = await api(server, owner, "POST", `/api/workspaces/${workspaceId}/import`, { kind: "doc", title: "Launch", markdown });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ title: "Launch", kind: "doc", role: "owner" });
  const exported = await api(server, owner, "GET", `/api/canvases/${created.body.id}/export?format=md`);
  expect(exported.headers.get("content-type")).toMatch(/text\/markdown/);
  expect(exported.body).toBe(markdown);
  // A live client sees the imported structure in the TipTap fragment.
  const client = connect(server.url, created.body.id, owner.token);
  await synced(client.provider);
  expect(client.document.getXmlFragment("content").toString()).toContain("<heading");
  client.destroy();
});

test("code files import as a code canvas and export as JSON or one plain file", async () => {
  const files = [
    { path: "src/app.py", language: "python", content: "print('hi')\n" },
    { path: "README.md", language: "markdown", content: "# App\n" },
  ];
  const created = await api(server, owner, "POST", `/api/workspaces/${workspaceId}/import`, { kind: "code", title: "App", files });
  const json = await api(server, owner, "GET", `/api/canvases/${created.body.id}/export?format=json`);
  expect(json.body.files).toEqual([...files].sort((a, b) => a.path.localeCompare(b.path)));
  const single = await api(server, owner, "GET", `/api/canvases/${created.body.id}/export?format=text&file=src/app.py`);
  expect(single.body).toBe("print('hi')\n");
  expect((await api(server, owner, "GET", `/api/canvases/${created.body.id}/export?format=md`)).status).toBe(400);
});

test("rename, search by title, trash and restore, delete for good", async () => {
  const canvas = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "Quarterly report", kind: "doc" })).body;
  await api(server, owner, "PATCH", `/api/canvases/${canvas.id}`, { title: "Q3 report" });
  const titles = async (query: string, trash = false) =>
    (await api(server, owner, "GET", `/api/workspaces/${workspaceId}/canvases?q=${encodeURIComponent(query)}${trash ? "&trash=true" : ""}`)).body.items.map((c: any) => c.title);
  expect(await titles("q3")).toEqual(["Q3 report"]);
  expect(await titles("%")).toEqual([]);

  expect((await api(server, owner, "DELETE", `/api/canvases/${canvas.id}`)).status).toBe(204);
  expect(await titles("Q3")).toEqual([]);
  expect(await titles("Q3", true)).toEqual(["Q3 report"]);
  // A trashed canvas cannot be opened live.
  const live = connect(server.url, canvas.id, owner.token);
  let refused = false;
  live.provider.on("authenticationFailed", () => (refused = true));
  await eventually(() => refused, "the trashed canvas to refuse a live connection");
  live.destroy();

  await api(server, owner, "POST", `/api/canvases/${canvas.id}/restore`);
  expect(await titles("Q3")).toEqual(["Q3 report"]);
  expect((await api(server, owner, "DELETE", `/api/canvases/${canvas.id}?permanent=true`)).status).toBe(409);
  await api(server, owner, "DELETE", `/api/canvases/${canvas.id}`);
  expect((await api(server, owner, "DELETE", `/api/canvases/${canvas.id}?permanent=true`)).status).toBe(204);
  expect((await api(server, owner, "GET", `/api/canvases/${canvas.id}`)).status).toBe(404);
});

test("a share link carries its role: a viewer link lets an outsider read live but not write", async () => {
  const canvas = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/import`, { kind: "doc", title: "Shared", markdown: "Hello" })).body;
  expect((await api(server, guest, "GET", `/api/canvases/${canvas.id}`)).status).toBe(404);
  const share = (await api(server, owner, "POST", `/api/canvases/${canvas.id}/shares`, { role: "viewer" })).body;
  expect(share.url).toMatch(new RegExp(`/s/${share.token}$`));
  expect((await api(server, guest, "GET", `/api/shares/${share.token}`)).body).toMatchObject({ canvasId: canvas.id, role: "viewer" });
  const accepted = await api(server, guest, "POST", `/api/shares/${share.token}/accept`);
  expect(accepted.body.role).toBe("viewer");
  expect((await api(server, guest, "GET", "/api/shared")).body.items.map((c: any) => c.id)).toEqual([canvas.id]);
  expect((await api(server, guest, "PATCH", `/api/canvases/${canvas.id}`, { title: "mine now" })).status).toBe(403);

  const client = connect(server.url, canvas.id, guest.token);
  const watcher = connect(server.url, canvas.id, owner.token);
  await Promise.all([synced(client.provider), synced(watcher.provider)]);
  client.document.getXmlFragment("content").push([new Y.XmlElement("paragraph")]);
  await handledByServer(client.provider, watcher.provider);
  expect((await api(server, owner, "GET", `/api/canvases/${canvas.id}/export?format=md`)).body).toBe("Hello\n");
  client.destroy();
  watcher.destroy();

  // An editor link upgrades; revoking a link stops new people using it.
  const editorLink = (await api(server, owner, "POST", `/api/canvases/${canvas.id}/shares`, { role: "editor" })).body;
  expect((await api(server, guest, "POST", `/api/shares/${editorLink.token}/accept`)).body.role).toBe("editor");
  expect((await api(server, owner, "DELETE", `/api/canvases/${canvas.id}/shares/${share.id}`)).status).toBe(204);
  expect((await api(server, guest, "POST", `/api/shares/${share.token}/accept`)).status).toBe(404);
});

test("a workspace export imports back losslessly, images and versions included", async () => {
  const doc = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/import`, { kind: "doc", title: "With image", markdown: "Intro" })).body;
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), "dot.png");
  const upload = (await (await fetch(`${server.url}/api/canvases/${doc.id}/uploads`, { method: "POST", headers: { authorization: `Bearer ${owner.token}` }, body: form })).json()) as any;
  const client = connect(server.url, doc.id, owner.token);
  await synced(client.provider);
  const image = new Y.XmlElement("image");
  image.setAttribute("src", upload.url);
  client.document.getXmlFragment("content").push([image]);
  await eventually(() => client.provider.unsyncedChanges === 0, "acknowledgement");
  client.destroy();
  await api(server, owner, "POST", `/api/canvases/${doc.id}/versions`, { name: "with image" });

  const exported = (await api(server, owner, "GET", `/api/workspaces/${workspaceId}/export`)).body;
  expect(exported.format).toBe("cocanvas.workspace");
  const imported = await api(server, guest, "POST", "/api/workspaces/import", exported);
  expect(imported.status).toBe(201);
  expect(imported.body.role).toBe("owner");
  const reexported = (await api(server, guest, "GET", `/api/workspaces/${imported.body.id}/export`)).body;

  // Imported images are new uploads (decision 0016): the same content under new ids, which the documents name.
  const withoutUploadIds = (text: string, uploads: { id: string }[]) => uploads.reduce((result, upload, index) => result.replaceAll(upload.id, `upload-${index}`), text);
  const summary = (data: any) =>
    data.canvases
      .map((canvas: any) => ({
        title: canvas.title,
        kind: canvas.kind,
        deletedAt: canvas.deletedAt,
        text: withoutUploadIds(canvas.text, canvas.uploads),
        versions: canvas.versions.map((v: any) => [v.name, v.kind]),
        uploads: canvas.uploads.map((u: any) => [u.mime, u.data]),
      }))
      .sort((a: any, b: any) => a.title.localeCompare(b.title));
  expect(summary(reexported)).toEqual(summary(exported));
  expect(reexported.canvases.every((canvas: any) => !exported.canvases.some((original: any) => original.id === canvas.id))).toBe(true);
  const importedDoc = reexported.canvases.find((canvas: any) => canvas.title === "With image");
  expect(importedDoc.uploads).toHaveLength(1);
  expect(importedDoc.uploads[0].id).not.toBe(upload.id);
  expect(importedDoc.text).toContain(`/api/uploads/${importedDoc.uploads[0].id}`);
  // The new owner sees the image the imported canvas shows, through its new id — and not through the original's.
  const imageResponse = await fetch(`${server.url}/api/uploads/${importedDoc.uploads[0].id}`, { headers: { authorization: `Bearer ${guest.token}` } });
  expect(imageResponse.status).toBe(200);
  expect(imageResponse.headers.get("content-type")).toBe("image/png");
  expect((await fetch(`${server.url}${upload.url}`, { headers: { authorization: `Bearer ${guest.token}` } })).status).toBe(404);
});

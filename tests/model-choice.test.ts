/**
 * Model choice is not a file browser (issue #9, decision 0016): who may choose a model per
 * request, per agent and per workspace, and which `local:` files anyone may name. Runs
 * through the real model registry (no injected model), as a deployment does.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { api, signUp, startTestServer, temporaryDataDir, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let editor: TestUser;
let commenter: TestUser;
let workspaceId: string;
let canvasId: string;
const secretFile = path.join(temporaryDataDir(), "secret.gguf");
const secretText = "TOP-SECRET first bytes of a server file";

beforeAll(async () => {
  fs.writeFileSync(secretFile, secretText);
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  editor = await signUp(server, "editor@example.com");
  commenter = await signUp(server, "commenter@example.com");
  ({ workspaceId, canvasId } = await workspaceWithCanvas(server, owner, "doc", [
    [editor, "editor"],
    [commenter, "commenter"],
  ]));
});
afterAll(() => server.close());

/** Whatever came back says nothing about the file: not its bytes, not its size, not whether it exists. */
function tellsNothing(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toContain("TOP-SECRET");
  expect(text).not.toMatch(/bytes|does not exist|GGUF|root:/);
}

describe("per request", () => {
  test("editors and commenters cannot choose the model of a run; nothing runs", async () => {
    for (const [user, model] of [
      [editor, `local:${secretFile}`],
      [editor, "openai:gpt-4.1-mini"],
      [commenter, "local:/etc/shadow"],
    ] as const) {
      const response = await api(server, user, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Hi", model });
      expect(response.status, model).toBe(403);
      expect(response.body.error.message).toMatch(/Only workspace owners choose the model of a request/);
      tellsNothing(response.body);
    }
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items).toEqual([]);
  });

  test("an owner may choose, but a local: model outside the models folder is refused alike whether the file exists or not", async () => {
    const answers: string[] = [];
    for (const model of [`local:${secretFile}`, "local:/etc/passwd", "local:/nowhere/x.gguf", "local:../../../../etc/passwd"]) {
      const response = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Hi", model });
      expect(response.status, model).toBe(400);
      tellsNothing(response.body);
      answers.push(response.body.error.message.replace(model, "MODEL"));
    }
    expect(new Set(answers).size).toBe(1);
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items).toEqual([]);
  });
});

describe("per workspace and per agent", () => {
  test("the workspace's model: owners only, and only allowed local files", async () => {
    const path = `/api/workspaces/${workspaceId}/model`;
    expect((await api(server, editor, "PUT", path, { model: "ollama:qwen2.5" })).status).toBe(403);
    const refused = await api(server, owner, "PUT", path, { model: `local:${secretFile}` });
    expect(refused.status).toBe(400);
    tellsNothing(refused.body);
    expect((await api(server, owner, "GET", path)).body.model).toBeNull();
  });

  test("an agent's model: editors define agents without one; choosing one is for owners, from allowed places", async () => {
    const base = `/api/workspaces/${workspaceId}/agents`;
    const withModel = await api(server, editor, "POST", base, { name: "Sneaky", model: "openai:gpt-4.1-mini" });
    expect(withModel.status).toBe(403);
    expect(withModel.body.error.message).toMatch(/Only workspace owners choose an agent's model/);
    const plain = await api(server, editor, "POST", base, { name: "Plain", instructions: "Be brief." });
    expect(plain.status).toBe(201);
    // The author edits the agent (the form sends its model back unchanged), but may not change the model.
    expect((await api(server, editor, "PATCH", `/api/agents/${plain.body.id}`, { instructions: "Be briefer.", model: null })).status).toBe(200);
    expect((await api(server, editor, "PATCH", `/api/agents/${plain.body.id}`, { model: `local:${secretFile}` })).status).toBe(400);
    expect((await api(server, editor, "PATCH", `/api/agents/${plain.body.id}`, { model: "ollama:qwen2.5" })).status).toBe(403);
    const local = await api(server, owner, "PATCH", `/api/agents/${plain.body.id}`, { model: "local:/etc/shadow" });
    expect(local.status).toBe(400);
    tellsNothing(local.body);
    const chosen = await api(server, owner, "PATCH", `/api/agents/${plain.body.id}`, { model: "ollama:qwen2.5" });
    expect([chosen.status, chosen.body.model]).toEqual([200, "ollama:qwen2.5"]);
    const agents = (await api(server, owner, "GET", base)).body.items;
    expect(agents.find((agent: any) => agent.name === "Plain")).toMatchObject({ model: "ollama:qwen2.5", instructions: "Be briefer." });
    expect(agents.some((agent: any) => agent.name === "Sneaky")).toBe(false);
  });

  test("the admin's default: a local file outside the allowed places is refused too", async () => {
    // The first account is the admin.
    const refused = await api(server, owner, "PUT", "/api/admin/models", { defaultModel: `local:${secretFile}` });
    expect(refused.status).toBe(400);
    tellsNothing(refused.body);
    expect((await api(server, owner, "GET", "/api/admin/models")).body.defaultModel).toBeNull();
  });
});

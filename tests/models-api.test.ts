/**
 * The model routes: admins set the default model and provider keys (write-only),
 * workspace owners set their workspace's default, everyone signed in sees the effective
 * default and which providers are ready — and no response or log line ever holds a key.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { cliPath, freePort } from "./helpers/child-server.ts";
import { api, eventually, signUp, startTestServer, temporaryDataDir, type TestUser } from "./helpers/server.ts";

const envKey = "sk-env-openai-SECRET-1111";
const adminKeys = { openai: "sk-admin-openai-SECRET-2222", anthropic: "sk-ant-SECRET-3333", "openai-compatible": "sk-compat-SECRET-4444" };
const allSecrets = [envKey, ...Object.values(adminKeys)];

let server: RunningServer;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let workspaceId: string;

beforeAll(async () => {
  // Every model setting explicit, so keys in the environment running the tests change nothing.
  server = await startTestServer({
    model: "openai:gpt-4.1-mini",
    openaiApiKey: envKey,
    openaiBaseUrl: "",
    anthropicApiKey: "",
    anthropicBaseUrl: "",
    openaiCompatibleApiKey: "",
    openaiCompatibleBaseUrl: "",
    ollamaBaseUrl: "http://127.0.0.1:11434/v1",
  });
  admin = await signUp(server, "admin@example.com"); // the first account is the admin
  member = await signUp(server, "member@example.com");
  outsider = await signUp(server, "outsider@example.com");
  workspaceId = (await api(server, admin, "POST", "/api/workspaces", { name: "Team" })).body.id;
  await api(server, admin, "POST", `/api/workspaces/${workspaceId}/members`, { email: member.email, role: "viewer" });
});
afterAll(() => server.close());

const noSecrets = (body: unknown) => {
  const text = JSON.stringify(body);
  for (const secret of allSecrets) expect(text).not.toContain(secret);
};

describe("admin model settings", () => {
  test("keys are write-only: set, shown as set with their source, never returned", async () => {
    const before = await api(server, admin, "GET", "/api/admin/models");
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ defaultModel: null, envModel: "openai:gpt-4.1-mini", effective: { spec: "openai:gpt-4.1-mini", source: "env" } });
    expect(before.body.keys.openai).toEqual({ set: true, source: "env", variable: "OPENAI_API_KEY", withheld: false });
    expect(before.body.keys.anthropic).toEqual({ set: false, source: null, variable: "ANTHROPIC_API_KEY", withheld: false });
    expect(before.body.baseUrls.ollama).toEqual({ value: "http://127.0.0.1:11434/v1", source: "default", variable: "OLLAMA_BASE_URL" });
    noSecrets(before.body);

    const changed = await api(server, admin, "PUT", "/api/admin/models", {
      defaultModel: "anthropic:claude-sonnet-4-5",
      keys: adminKeys,
      baseUrls: { "openai-compatible": "http://127.0.0.1:8000/v1" },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.defaultModel).toBe("anthropic:claude-sonnet-4-5");
    expect(changed.body.effective).toEqual({ spec: "anthropic:claude-sonnet-4-5", source: "admin" });
    expect(Object.values(changed.body.keys).map((key: any) => key.source)).toEqual(["admin", "admin", "admin"]);
    expect(changed.body.baseUrls["openai-compatible"]).toMatchObject({ value: "http://127.0.0.1:8000/v1", source: "admin" });
    noSecrets(changed.body);
    noSecrets((await api(server, admin, "GET", "/api/admin/models")).body);

    const cleared = await api(server, admin, "PUT", "/api/admin/models", { defaultModel: null, keys: { openai: null, anthropic: null } });
    expect(cleared.body.keys.openai).toEqual({ set: true, source: "env", variable: "OPENAI_API_KEY", withheld: false });
    expect(cleared.body.keys.anthropic.set).toBe(false);
    expect(cleared.body.effective.source).toBe("env");
  });

  test("only admins; bad values are 400s that say what is wrong", async () => {
    expect((await api(server, member, "GET", "/api/admin/models")).status).toBe(403);
    expect((await api(server, member, "PUT", "/api/admin/models", { defaultModel: "openai:x" })).status).toBe(403);
    expect((await api(server, null, "GET", "/api/admin/models")).status).toBe(401);
    const unknown = await api(server, admin, "PUT", "/api/admin/models", { defaultModel: "acme:model" });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, "unknown provider 'acme'; known: openai, anthropic, openai-compatible, ollama, local."]);
    const url = await api(server, admin, "PUT", "/api/admin/models", { baseUrls: { ollama: "ftp://x" } });
    expect(url.status).toBe(400);
    expect(url.body.error.message).toMatch(/baseUrls\.ollama: Enter an http\(s\) URL/);
    expect((await api(server, admin, "PUT", "/api/admin/models", { keys: { mistral: "k" } })).status).toBe(400);
  });
});

describe("workspace default model", () => {
  test("owners set it (validated), members read it, null falls back to the server's", async () => {
    const set = await api(server, admin, "PUT", `/api/workspaces/${workspaceId}/model`, { model: "ollama:qwen2.5:0.5b" });
    expect(set.body).toEqual({ model: "ollama:qwen2.5:0.5b", effective: { spec: "ollama:qwen2.5:0.5b", source: "workspace" } });
    expect((await api(server, member, "GET", `/api/workspaces/${workspaceId}/model`)).body.model).toBe("ollama:qwen2.5:0.5b");
    expect((await api(server, member, "PUT", `/api/workspaces/${workspaceId}/model`, { model: "openai:x" })).status).toBe(403);

    const bad = await api(server, admin, "PUT", `/api/workspaces/${workspaceId}/model`, { model: "no-colon" });
    expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_request"]);
    expect(bad.body.error.message).toMatch(/is not provider:model/);

    const cleared = await api(server, admin, "PUT", `/api/workspaces/${workspaceId}/model`, { model: null });
    expect(cleared.body).toEqual({ model: null, effective: { spec: "openai:gpt-4.1-mini", source: "env" } });
  });
});

describe("GET /api/models", () => {
  test("the effective default for a workspace and which providers are ready, without secrets", async () => {
    await api(server, admin, "PUT", "/api/admin/models", { keys: adminKeys, baseUrls: { "openai-compatible": null } });
    await api(server, admin, "PUT", `/api/workspaces/${workspaceId}/model`, { model: "anthropic:claude-sonnet-4-5" });
    const answer = await api(server, member, "GET", `/api/models?workspaceId=${workspaceId}`);
    expect(answer.status).toBe(200);
    expect(answer.body.default).toEqual({ spec: "anthropic:claude-sonnet-4-5", source: "workspace" });
    expect(answer.body.providers.map((provider: { name: string; available: boolean }) => [provider.name, provider.available])).toEqual([
      ["openai", true],
      ["anthropic", true],
      ["openai-compatible", false],
      ["ollama", false], // nothing answers at its address here
      ["local", true],
    ]);
    expect(answer.body.providers[2].missing).toBe("COCANVAS_OPENAI_COMPATIBLE_BASE_URL");
    expect(answer.body.providers[3].missing).toBe("a server answering at the OLLAMA_BASE_URL address (it does not answer)");
    noSecrets(answer.body);
    expect((await api(server, outsider, "GET", "/api/models")).body.default).toEqual({ spec: "openai:gpt-4.1-mini", source: "env" });
    expect((await api(server, outsider, "GET", `/api/models?workspaceId=${workspaceId}`)).status).toBe(404);
    expect((await api(server, null, "GET", "/api/models")).status).toBe(401);
  });

  test("the OpenAPI document describes the model routes", async () => {
    const { body } = await api(server, null, "GET", "/api/openapi.json");
    expect(Object.keys(body.paths["/api/admin/models"])).toEqual(["get", "put"]);
    expect(Object.keys(body.paths["/api/workspaces/{id}/model"])).toEqual(["get", "put"]);
    expect(body.paths["/api/models"].get.parameters[0].name).toBe("workspaceId");
    expect(body.components.schemas.Error.properties.error.properties.code.enum).toContain("model_unavailable");
  });
});

test("a running server at debug level logs no key, whatever the admin does", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [cliPath, "serve"], {
    env: { ...process.env, PORT: String(port), COCANVAS_DATA_DIR: temporaryDataDir(), COCANVAS_LOG_LEVEL: "debug", OPENAI_API_KEY: envKey, COCANVAS_MODEL: "openai:gpt-4.1-mini" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  try {
    const running = { url: `http://127.0.0.1:${port}` } as RunningServer;
    for (let tries = 0; ; tries++) {
      if (await fetch(`${running.url}/api/health`).then((response) => response.ok, () => false)) break;
      if (tries > 300 || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const boss = await signUp(running, "boss@example.com");
    expect((await api(running, boss, "PUT", "/api/admin/models", { keys: adminKeys, defaultModel: "openai:gpt-4.1" })).status).toBe(200);
    expect((await api(running, boss, "PUT", "/api/admin/models", { keys: { openai: "has a space" } })).status).toBe(400);
    await api(running, boss, "GET", "/api/admin/models");
    await api(running, boss, "GET", "/api/models");
    await eventually(() => output.includes("model settings changed"), "the change to be logged");
    for (const secret of allSecrets) expect(output).not.toContain(secret);
  } finally {
    child.kill("SIGTERM");
  }
});

/**
 * Setting a model up from the app: the AI panel learns whether a model can be used and who
 * can set one up; an admin's Test runs one real completion through the configured provider
 * (a fake OpenAI-compatible server here) and answers the reply and its speed; ollama and
 * openai-compatible count as ready only when their address answers — in the API and in
 * `cocanvas models list`.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { startChatCompletionsServer } from "./fixtures/chat-completions-server.ts";
import { freePort, runCli } from "./helpers/child-server.ts";
import { api, signUp, startTestServer, temporaryDataDir, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let fake: Awaited<ReturnType<typeof startChatCompletionsServer>>;
let admin: TestUser;
let member: TestUser;
let workspaceId: string;
let deadAddress: string;
const secretKey = "sk-compat-SECRET-9999";

beforeAll(async () => {
  fake = await startChatCompletionsServer(() => ({ text: "Ready to help you on the canvas.", chunk: 5, delayMs: 5 }), { models: ["fake-small", "fake-large"] });
  deadAddress = `http://127.0.0.1:${await freePort()}/v1`; // nothing listens here
  server = await startTestServer({
    model: "",
    openaiApiKey: "",
    openaiBaseUrl: "",
    anthropicApiKey: "",
    anthropicBaseUrl: "",
    openaiCompatibleApiKey: "",
    openaiCompatibleBaseUrl: "",
    ollamaBaseUrl: deadAddress,
  });
  admin = await signUp(server, "ada@example.com"); // the first account is the admin
  expect((await api(server, admin, "PATCH", "/api/auth/me", { name: "Ada Admin" })).status).toBe(200);
  member = await signUp(server, "mo@example.com");
  ({ workspaceId } = await workspaceWithCanvas(server, admin, "doc", [[member, "editor"]]));
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe("the AI panel's model status", () => {
  test("with no model: not ready, in plain words, naming the admins; only admins may set up", async () => {
    const forMember = await api(server, member, "GET", `/api/models?workspaceId=${workspaceId}`);
    expect(forMember.status).toBe(200);
    expect(forMember.body).toMatchObject({ default: null, ready: false, problem: "No AI model is set up on this server yet.", canSetUp: false, admins: ["Ada Admin"] });
    const forAdmin = await api(server, admin, "GET", `/api/models?workspaceId=${workspaceId}`);
    expect(forAdmin.body).toMatchObject({ ready: false, canSetUp: true });
    expect(JSON.stringify(forMember.body)).not.toContain("ada@example.com");
  });

  test("ollama whose address does not answer is not ready; an openai-compatible server that answers is, with its models", async () => {
    const before = await api(server, admin, "GET", "/api/models");
    const ollama = before.body.providers.find((provider: { name: string }) => provider.name === "ollama");
    expect(ollama).toEqual({ name: "ollama", available: false, missing: "a server answering at the OLLAMA_BASE_URL address (it does not answer)" });
    expect(JSON.stringify(before.body)).not.toContain(deadAddress);

    const saved = await api(server, admin, "PUT", "/api/admin/models", { baseUrls: { "openai-compatible": fake.url }, keys: { "openai-compatible": secretKey } });
    expect(saved.status).toBe(200);
    const after = await api(server, member, "GET", "/api/models");
    const compatible = after.body.providers.find((provider: { name: string }) => provider.name === "openai-compatible");
    expect(compatible).toEqual({ name: "openai-compatible", available: true, models: [{ spec: "openai-compatible:fake-small" }, { spec: "openai-compatible:fake-large" }] });
    expect(JSON.stringify(after.body)).not.toContain(secretKey);
  });
});

describe("POST /api/admin/models/test", () => {
  test("runs one completion and answers the reply, tokens per second and time to first token", async () => {
    const before = fake.requests;
    const answer = await api(server, admin, "POST", "/api/admin/models/test", { model: "openai-compatible:fake-small" });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ model: "openai-compatible:fake-small", text: "Ready to help you on the canvas.", outputTokens: 20 });
    expect(answer.body.tokensPerSecond).toBeGreaterThan(0);
    expect(answer.body.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(fake.requests).toBe(before + 1);
  });

  test("a model that cannot be reached is a clear error without the address; bad input is a 400; only admins", async () => {
    await api(server, admin, "PUT", "/api/admin/models", { baseUrls: { ollama: deadAddress } });
    const dead = await api(server, admin, "POST", "/api/admin/models/test", { model: "ollama:qwen2.5" });
    expect(dead.status).toBe(503);
    expect(dead.body.error).toEqual({ code: "model_unavailable", message: "ollama:qwen2.5 did not answer: the provider could not be reached or its answer could not be read." });
    expect(JSON.stringify(dead.body)).not.toContain(deadAddress.replace("/v1", ""));

    const noKey = await api(server, admin, "POST", "/api/admin/models/test", { model: "openai:gpt-4.1-mini" });
    expect([noKey.status, noKey.body.error.code]).toEqual([503, "model_unavailable"]);
    expect(noKey.body.error.message).toMatch(/OPENAI_API_KEY is not set/);

    const unknown = await api(server, admin, "POST", "/api/admin/models/test", { model: "acme:x" });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, "unknown provider 'acme'; known: openai, anthropic, openai-compatible, ollama, local."]);
    expect((await api(server, admin, "POST", "/api/admin/models/test", { model: 5 })).status).toBe(400);
    expect((await api(server, member, "POST", "/api/admin/models/test", { model: "openai-compatible:fake-small" })).status).toBe(403);
  });

  test("once a default model is chosen the panel is ready and names no one", async () => {
    expect((await api(server, admin, "PUT", "/api/admin/models", { defaultModel: "openai-compatible:fake-small" })).status).toBe(200);
    const status = await api(server, member, "GET", `/api/models?workspaceId=${workspaceId}`);
    expect(status.body).toMatchObject({ ready: true, admins: [], default: { spec: "openai-compatible:fake-small", source: "admin" } });
    expect(status.body.problem).toBeUndefined();
  });
});

test("`cocanvas models list` says ollama is ready only when it answers", async () => {
  const dataDir = temporaryDataDir();
  const environment = { COCANVAS_MODEL: "", OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", COCANVAS_OPENAI_COMPATIBLE_BASE_URL: "" };
  const [down, up] = await Promise.all([
    runCli(["models", "list", "--data-dir", dataDir], { ...environment, OLLAMA_BASE_URL: deadAddress }),
    runCli(["models", "list", "--data-dir", dataDir], { ...environment, OLLAMA_BASE_URL: fake.url }),
  ]);
  expect(down.code, down.stderr).toBe(0);
  expect(down.stdout).toContain("ollama (needs a server answering at the OLLAMA_BASE_URL address (it does not answer))");
  expect(up.code, up.stderr).toBe(0);
  expect(up.stdout).toMatch(/ollama ready/);
});

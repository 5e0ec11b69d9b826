/**
 * Which model a request gets, and every way that can fail: precedence (request >
 * workspace > admin > COCANVAS_MODEL > pulled default), provider credentials from admin
 * settings over the environment, and the messages that name what is missing. The HTTP
 * providers are pointed at a local fake server, which shows which key each one sends.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Writable } from "node:stream";
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiError } from "@cocanvas/protocol";
import { ConfigError, loadConfig, type Config } from "../packages/server/src/config.ts";
import { createLogger } from "../packages/server/src/logger.ts";
import { defaultLocalModel } from "../packages/server/src/models/catalogue.ts";
import { ModelRegistry } from "../packages/server/src/models/model-registry.ts";
import { parseModelSpec } from "../packages/server/src/models/model-spec.ts";
import { openSqliteStorage } from "../packages/server/src/storage/sqlite-storage.ts";
import type { Storage } from "../packages/server/src/storage/storage.ts";
import { writeTinyGguf } from "./fixtures/tiny-gguf.ts";
import { temporaryDataDir } from "./helpers/server.ts";

const secrets = { envOpenai: "sk-env-openai-0123456789", adminOpenai: "sk-admin-openai-9876543210", anthropic: "sk-ant-admin-55555", compatible: "sk-compat-77777" };

/** A fake provider server: answers OpenAI chat completions and Anthropic messages, and records who called with which key. */
const calls: { path: string; authorization?: string; apiKey?: string; model?: string }[] = [];
let fake: http.Server;
let fakeUrl: string;
beforeAll(async () => {
  fake = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const model = (JSON.parse(body || "{}") as { model?: string }).model;
      calls.push({ path: request.url!, authorization: request.headers.authorization, apiKey: request.headers["x-api-key"] as string | undefined, model });
      response.setHeader("content-type", "application/json");
      if (request.url!.endsWith("/messages")) {
        response.end(JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model, content: [{ type: "text", text: "hi from anthropic" }], stop_reason: "end_turn", usage: { input_tokens: 3, output_tokens: 4 } }));
      } else {
        response.end(
          JSON.stringify({
            id: "chatcmpl-1",
            object: "chat.completion",
            created: 1,
            model,
            choices: [{ index: 0, message: { role: "assistant", content: `hi from ${request.url}` }, finish_reason: "stop" }],
            usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

const opened: { storage: Storage; registry: ModelRegistry }[] = [];
afterAll(async () => {
  for (const { storage, registry } of opened) {
    await registry.close();
    await storage.close();
  }
});

/** A data folder, its storage and a registry; `env` is the whole environment (nothing inherited). */
function setup(env: Record<string, string> = {}, options: Partial<Config> = {}) {
  const dataDir = temporaryDataDir();
  const config = loadConfig({ dataDir, ...options }, env);
  const storage = openSqliteStorage(dataDir);
  const lines: string[] = [];
  const logger = createLogger("debug", new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
  const registry = new ModelRegistry({ config, storage, logger, engineOptions: { probe: false } });
  opened.push({ storage, registry });
  return { dataDir, config, storage, registry, settings: registry.settings, logs: () => lines.join("") };
}

async function workspace(storage: Storage) {
  const owner = await storage.createUser({ id: `u${Math.random()}`, email: `${Math.random()}@example.com`, name: "Owner", passwordHash: "x", isAdmin: false });
  return storage.createWorkspace("Team", owner.id);
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("precedence: request > workspace > admin > COCANVAS_MODEL > pulled default", () => {
  test("each level wins over the ones after it, and clearing one falls back to the next", async () => {
    const { storage, registry, settings, dataDir } = setup({ COCANVAS_MODEL: "openai:from-env", OPENAI_API_KEY: secrets.envOpenai, ANTHROPIC_API_KEY: "sk-ant-env" });
    const { id: workspaceId } = await workspace(storage);
    const spec = async (request: { override?: string | null; workspaceId?: string | null }) => (await registry.resolve(request)).spec;

    expect(await spec({ workspaceId })).toBe("openai:from-env");
    expect(await settings.effectiveDefault(workspaceId)).toEqual({ spec: "openai:from-env", source: "env" });

    await settings.update({ defaultModel: "anthropic:from-admin" });
    expect(await spec({ workspaceId })).toBe("anthropic:from-admin");

    await settings.setWorkspaceModel(workspaceId, "ollama:from-workspace");
    expect(await spec({ workspaceId })).toBe("ollama:from-workspace");
    expect(await spec({})).toBe("anthropic:from-admin"); // no workspace: the admin's

    expect(await spec({ override: "OpenAI:from-request", workspaceId })).toBe("openai:from-request");
    expect(await spec({ override: "  ", workspaceId })).toBe("ollama:from-workspace"); // blank is no override

    await settings.setWorkspaceModel(workspaceId, null);
    await settings.update({ defaultModel: null });
    expect(await spec({ workspaceId })).toBe("openai:from-env");

    // Without COCANVAS_MODEL: the pulled default local model, if it is in the data folder.
    const bare = setup({}, { dataDir });
    await expect(bare.registry.resolve({})).rejects.toThrow(/no model is configured/);
    fs.mkdirSync(path.join(dataDir, "models"), { recursive: true });
    writeTinyGguf(path.join(dataDir, "models", defaultLocalModel.file));
    const pulled = await bare.registry.resolve({});
    expect([pulled.spec, pulled.provider, pulled.model.provider]).toEqual([`local:${defaultLocalModel.name}`, "local", "local"]);
    expect(await bare.settings.effectiveDefault(null)).toEqual({ spec: `local:${defaultLocalModel.name}`, source: "pulled" });
  });

  test("local: names a pulled model, a .gguf file in the models folder or an admin's folder, or the file COCANVAS_MODEL names", async () => {
    const elsewhere = temporaryDataDir();
    const file = writeTinyGguf(path.join(elsewhere, "mine.gguf"));
    const { registry, dataDir } = setup({ COCANVAS_LOCAL_MODEL_DIRS: `/nowhere${path.delimiter}${elsewhere}` });
    expect((await registry.resolve({ override: `local:${file}` })).modelId).toBe(file);
    fs.mkdirSync(path.join(dataDir, "models"), { recursive: true });
    fs.copyFileSync(file, path.join(dataDir, "models", "copy.gguf"));
    expect((await registry.resolve({ override: "local:copy.gguf" })).model.modelId).toBe("copy.gguf");
    expect((await registry.resolve({ override: `local:${path.join(dataDir, "models", "copy.gguf")}` })).modelId).toBe(path.join(dataDir, "models", "copy.gguf"));

    // The operator's COCANVAS_MODEL may name a file anywhere; a person may then name that file too, and no other.
    const operator = setup({ COCANVAS_MODEL: `local:${file}` });
    expect((await operator.registry.resolve({})).spec).toBe(`local:${file}`);
    expect((await operator.registry.resolve({ override: `local:${file}` })).modelId).toBe(file);
    const sibling = writeTinyGguf(path.join(elsewhere, "sibling.gguf"));
    expect((await failure(operator.registry.resolve({ override: `local:${sibling}` }))).code).toBe("invalid_request");
  });

  test("local: never reads a file outside the allowed places, and the error tells nothing about it", async () => {
    const { registry, settings, storage, dataDir } = setup();
    fs.mkdirSync(path.join(dataDir, "models"), { recursive: true });
    const secret = path.join(temporaryDataDir(), "secret.gguf");
    fs.writeFileSync(secret, "SECRET-CONTENT that must never be echoed back");
    const text = path.join(dataDir, "models", "notes.txt");
    fs.writeFileSync(text, "SECRET-CONTENT in the models folder");
    const refusals: string[] = [];
    for (const spec of [`local:${secret}`, "local:/etc/passwd", "local:/etc/shadow", "local:/nowhere/model.gguf", "local:../../secret.gguf", `local:${path.relative(path.join(dataDir, "models"), secret)}`, "local:notes.txt"]) {
      const error = await failure(registry.resolve({ override: spec }));
      expect([error.code, error.status], spec).toEqual(["invalid_request", 400]);
      expect(error.message, spec).toMatch(/is not allowed: local models are pulled names or \.gguf files in the models folder\.$/);
      refusals.push(error.message.replace(spec, "SPEC"));
    }
    // An existing file, a missing one and an unreadable one get the same answer: nothing to learn from it.
    expect(new Set(refusals).size).toBe(1);
    expect(refusals[0]).not.toMatch(/SECRET|bytes|exist/);
    const { id } = await workspace(storage);
    await expect(settings.setWorkspaceModel(id, `local:${secret}`)).rejects.toThrow(/is not allowed/);
    await expect(settings.update({ defaultModel: "local:/etc/passwd" })).rejects.toThrow(/The default model 'local:\/etc\/passwd' is not allowed/);
    expect(await storage.getWorkspaceModel(id)).toBeNull();
  });
});

describe("errors name exactly what is missing", () => {
  test("no model at all", async () => {
    const error = await failure(setup().registry.resolve({}));
    expect([error.code, error.status]).toEqual(["model_unavailable", 503]);
    expect(error.message).toMatch(/^no model is configured: set COCANVAS_MODEL=provider:model .*or run `cocanvas models pull`/);
  });

  test("missing keys and addresses, per provider", async () => {
    const { registry } = setup({}, { ollamaBaseUrl: "" });
    const cases: [string, RegExp][] = [
      ["openai:gpt-4.1-mini", /^OPENAI_API_KEY is not set/],
      ["anthropic:claude-sonnet-4-5", /^ANTHROPIC_API_KEY is not set/],
      ["openai-compatible:llama3.1", /^COCANVAS_OPENAI_COMPATIBLE_BASE_URL is not set/],
      ["ollama:qwen2.5", /^OLLAMA_BASE_URL is not set/],
      [`local:${defaultLocalModel.name}`, new RegExp(`^the local model ${defaultLocalModel.name} is not pulled: run \`cocanvas models pull ${defaultLocalModel.name}\``)],
      ["local:missing.gguf", /^the local model file .*missing\.gguf does not exist/],
    ];
    for (const [spec, message] of cases) {
      const error = await failure(registry.resolve({ override: spec }));
      expect([error.code, error.status], spec).toEqual(["model_unavailable", 503]);
      expect(error.message, spec).toMatch(message);
    }
  });

  test("malformed specs and unknown providers are 400s", async () => {
    const { registry, storage, settings } = setup();
    for (const [spec, message] of [
      ["gpt-4", /The model 'gpt-4' is not provider:model \(e\.g\. openai:gpt-4\.1-mini/],
      ["openai:", /is not provider:model/],
      ["x:y", /^unknown provider 'x'; known: openai, anthropic, openai-compatible, ollama, local\.$/],
    ] as const) {
      const error = await failure(registry.resolve({ override: spec }));
      expect([error.code, error.status]).toEqual(["invalid_request", 400]);
      expect(error.message).toMatch(message);
    }
    const { id } = await workspace(storage);
    await expect(settings.setWorkspaceModel(id, "mistral:large")).rejects.toThrow(/unknown provider 'mistral'/);
    await expect(settings.update({ defaultModel: "nocolon" })).rejects.toThrow(/The default model 'nocolon' is not provider:model/);
  });

  test("a malformed COCANVAS_MODEL stops the server at start, naming the variable", () => {
    expect(() => setup({ COCANVAS_MODEL: "gpt-4" })).toThrow(ConfigError);
    expect(() => setup({ COCANVAS_MODEL: "acme:model" })).toThrow(/COCANVAS_MODEL="acme:model" is not valid: unknown provider 'acme'/);
  });

  test("parseModelSpec keeps colons in model names", () => {
    expect(parseModelSpec("ollama:qwen2.5:0.5b")).toEqual({ provider: "ollama", modelId: "qwen2.5:0.5b", spec: "ollama:qwen2.5:0.5b" });
  });
});

describe("provider credentials", () => {
  test("each provider reaches its address with its key; an admin key wins over the environment's; keys are never logged", async () => {
    const { registry, settings, logs } = setup({
      OPENAI_API_KEY: secrets.envOpenai,
      OPENAI_BASE_URL: `${fakeUrl}/openai/v1`,
      COCANVAS_OPENAI_COMPATIBLE_BASE_URL: `${fakeUrl}/compat/v1`,
      COCANVAS_OPENAI_COMPATIBLE_API_KEY: secrets.compatible,
      OLLAMA_BASE_URL: `${fakeUrl}/ollama/v1`,
    });
    const ask = async (spec: string) => (await generateText({ model: (await registry.resolve({ override: spec })).model, prompt: "hello", maxRetries: 0 })).text;

    expect(await ask("openai:gpt-4.1-mini")).toBe("hi from /openai/v1/chat/completions"); // chat completions, not the Responses API
    expect(calls.at(-1)).toMatchObject({ authorization: `Bearer ${secrets.envOpenai}`, model: "gpt-4.1-mini" });

    await settings.update({ keys: { openai: secrets.adminOpenai, anthropic: secrets.anthropic }, baseUrls: { anthropic: `${fakeUrl}/anthropic/v1` } });
    await ask("openai:gpt-4.1-mini");
    expect(calls.at(-1)?.authorization).toBe(`Bearer ${secrets.adminOpenai}`);
    expect(await ask("anthropic:claude-sonnet-4-5")).toBe("hi from anthropic");
    expect(calls.at(-1)).toMatchObject({ path: "/anthropic/v1/messages", apiKey: secrets.anthropic, model: "claude-sonnet-4-5" });
    expect(await ask("openai-compatible:llama3.1")).toBe("hi from /compat/v1/chat/completions");
    expect(calls.at(-1)?.authorization).toBe(`Bearer ${secrets.compatible}`);
    expect(await ask("ollama:qwen2.5:0.5b")).toBe("hi from /ollama/v1/chat/completions");
    expect(calls.at(-1)).toMatchObject({ authorization: undefined, model: "qwen2.5:0.5b" });

    await settings.update({ keys: { openai: null } }); // cleared: the environment's key applies again
    await ask("openai:gpt-4.1-mini");
    expect(calls.at(-1)?.authorization).toBe(`Bearer ${secrets.envOpenai}`);

    const view = JSON.stringify(await settings.adminView());
    const status = JSON.stringify(await settings.providers());
    expect(logs()).toContain("model resolved");
    for (const secret of Object.values(secrets)) {
      expect(view).not.toContain(secret);
      expect(status).not.toContain(secret);
      expect(logs()).not.toContain(secret);
    }
    expect(JSON.parse(view).keys).toEqual({
      openai: { set: true, source: "env", variable: "OPENAI_API_KEY", withheld: false },
      anthropic: { set: true, source: "admin", variable: "ANTHROPIC_API_KEY", withheld: false },
      "openai-compatible": { set: true, source: "env", variable: "COCANVAS_OPENAI_COMPATIBLE_API_KEY", withheld: false },
    });
  });

  test("a key goes only to the address it was configured with, until it is entered again", async () => {
    const { registry, settings } = setup({ OPENAI_API_KEY: secrets.envOpenai, OPENAI_BASE_URL: `${fakeUrl}/openai/v1`, ANTHROPIC_API_KEY: "sk-ant-env-4444" });
    const ask = async (spec: string) => (await generateText({ model: (await registry.resolve({ override: spec })).model, prompt: "hello", maxRetries: 0 })).text;
    const sentKeys = () => calls.map((call) => call.authorization ?? call.apiKey ?? "").join(" ");
    expect(await ask("openai:gpt-4.1-mini")).toBe("hi from /openai/v1/chat/completions");
    expect(calls.at(-1)?.authorization).toBe(`Bearer ${secrets.envOpenai}`);

    // An admin points the provider elsewhere: the environment's key is not sent there.
    const callsBefore = calls.length;
    await settings.update({ baseUrls: { openai: `${fakeUrl}/elsewhere/v1`, anthropic: `${fakeUrl}/elsewhere-anthropic/v1` } });
    for (const spec of ["openai:gpt-4.1-mini", "anthropic:claude-sonnet-4-5"]) {
      const error = await failure(registry.resolve({ override: spec }));
      expect([error.code, error.status], spec).toEqual(["model_unavailable", 503]);
      expect(error.message, spec).toMatch(/key was configured for another address than the one now set, so it is not sent there: enter the key again/);
    }
    expect(calls.length).toBe(callsBefore);
    expect((await settings.adminView()).keys.openai).toEqual({ set: true, source: "env", variable: "OPENAI_API_KEY", withheld: true });
    expect((await settings.providers()).find((provider) => provider.name === "openai")).toMatchObject({ available: false, missing: expect.stringContaining("enter it again") });

    // Entered again (in the same change as an address, or after it), a key goes to the address in effect.
    await settings.update({ keys: { openai: secrets.adminOpenai } });
    expect(await ask("openai:gpt-4.1-mini")).toBe("hi from /elsewhere/v1/chat/completions");
    expect(calls.at(-1)?.authorization).toBe(`Bearer ${secrets.adminOpenai}`);
    await settings.update({ baseUrls: { anthropic: `${fakeUrl}/anthropic/v1` }, keys: { anthropic: secrets.anthropic } });
    expect(await ask("anthropic:claude-sonnet-4-5")).toBe("hi from anthropic");
    expect(calls.at(-1)?.apiKey).toBe(secrets.anthropic);

    // An admin's key is bound to its address too: moving the address withholds it, moving back restores it.
    await settings.update({ baseUrls: { openai: `${fakeUrl}/third/v1` } });
    expect((await failure(registry.resolve({ override: "openai:gpt-4.1-mini" }))).code).toBe("model_unavailable");
    await settings.update({ baseUrls: { openai: `${fakeUrl}/elsewhere/v1` } });
    await ask("openai:gpt-4.1-mini");
    expect(calls.at(-1)).toMatchObject({ path: "/elsewhere/v1/chat/completions", authorization: `Bearer ${secrets.adminOpenai}` });
    // Clearing the address returns to the environment's, where the environment's key goes again.
    await settings.update({ baseUrls: { openai: null }, keys: { openai: null } });
    await ask("openai:gpt-4.1-mini");
    expect(calls.at(-1)).toMatchObject({ path: "/openai/v1/chat/completions", authorization: `Bearer ${secrets.envOpenai}` });
    // No call anywhere else ever carried a key not entered for it.
    expect(calls.filter((call) => call.path.startsWith("/elsewhere/")).map((call) => call.authorization)).not.toContain(`Bearer ${secrets.envOpenai}`);
    expect(calls.filter((call) => call.path.startsWith("/third/"))).toEqual([]);
    expect(sentKeys()).not.toContain("sk-ant-env-4444");
  });

  test("an openai-compatible key does not follow a new address either", async () => {
    const { registry, settings } = setup({ COCANVAS_OPENAI_COMPATIBLE_BASE_URL: `${fakeUrl}/compat/v1`, COCANVAS_OPENAI_COMPATIBLE_API_KEY: secrets.compatible });
    await settings.update({ baseUrls: { "openai-compatible": `${fakeUrl}/moved/v1` } });
    const error = await failure(registry.resolve({ override: "openai-compatible:llama3.1" }));
    expect(error.message).toMatch(/COCANVAS_OPENAI_COMPATIBLE_API_KEY key was configured for another address/);
    expect(calls.filter((call) => call.path.startsWith("/moved/"))).toEqual([]);
  });

  test("the logger redacts keys wherever they appear in a logged object", () => {
    const lines: string[] = [];
    const logger = createLogger("info", new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const config = loadConfig({}, { OPENAI_API_KEY: secrets.envOpenai, ANTHROPIC_API_KEY: secrets.anthropic, COCANVAS_OPENAI_COMPATIBLE_API_KEY: secrets.compatible });
    logger.info({ config }, "config");
    logger.info({ body: { keys: { openai: secrets.adminOpenai } } }, "admin body");
    logger.info({ provider: { apiKey: secrets.adminOpenai }, headers: { "x-api-key": secrets.anthropic } }, "provider");
    const output = lines.join("");
    expect(output).toContain("[redacted]");
    for (const secret of Object.values(secrets)) expect(output).not.toContain(secret);
  });
});

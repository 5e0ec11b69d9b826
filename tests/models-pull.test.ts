/**
 * `cocanvas models pull|list|test` and the download underneath: a local HTTP server plays
 * Hugging Face (Range requests, a connection cut mid-way, a server that ignores ranges),
 * and the tiny generated model stands in for a real one.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { defaultLocalModel } from "../packages/server/src/models/catalogue.ts";
import { pullModel } from "../packages/server/src/models/model-pull.ts";
import { runCli } from "./helpers/child-server.ts";
import { temporaryDataDir } from "./helpers/server.ts";
import { tinyGguf } from "./fixtures/tiny-gguf.ts";

const model = tinyGguf();
const sha256 = createHash("sha256").update(model).digest("hex");

/** How the next requests are answered. */
const behaviour = { cutAfter: 0, ignoreRange: false, status: 200 };
const requests: { url: string; range?: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requests.push({ url: request.url!, range: request.headers.range });
    if (behaviour.status !== 200) {
      response.writeHead(behaviour.status).end("nope");
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
    const start = range && !behaviour.ignoreRange ? Number(range[1]) : 0;
    const body = model.subarray(start);
    response.writeHead(start ? 206 : 200, {
      "content-length": body.length,
      "content-type": "application/octet-stream",
      ...(start ? { "content-range": `bytes ${start}-${model.length - 1}/${model.length}` } : {}),
    });
    if (behaviour.cutAfter) {
      const cut = behaviour.cutAfter;
      behaviour.cutAfter = 0; // only the first response breaks
      response.write(body.subarray(0, cut), () => setTimeout(() => response.destroy(), 20));
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  Object.assign(behaviour, { cutAfter: 0, ignoreRange: false, status: 200 });
  requests.length = 0;
});

const target = () => path.join(temporaryDataDir(), "models", "tiny.gguf");
const sameAsModel = (file: string) => expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(sha256);

describe("pullModel", () => {
  test("downloads with progress, checks the checksum, then puts the file in place", async () => {
    const file = target();
    const progress: [number, number][] = [];
    const result = await pullModel({ url: `${base}/tiny.gguf`, file, sha256, size: model.length, onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ file, bytes: model.length, alreadyPresent: false, resumedFrom: 0 });
    sameAsModel(file);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([model.length, model.length]);
    expect(progress.every(([done], index) => index === 0 || done >= progress[index - 1]![0])).toBe(true);

    expect(await pullModel({ url: `${base}/tiny.gguf`, file, sha256 })).toMatchObject({ alreadyPresent: true });
    expect(requests).toHaveLength(1); // the second pull only checked the file on disk
  });

  test("a connection cut mid-way is resumed with a Range request", async () => {
    behaviour.cutAfter = 100_000;
    const file = target();
    const progress: number[] = [];
    await pullModel({ url: `${base}/tiny.gguf`, file, sha256, size: model.length, onProgress: (done) => progress.push(done) });
    sameAsModel(file);
    expect(requests.map((request) => request.range)).toEqual([undefined, `bytes=${progress.find((done) => done >= 100_000) ?? 100_000}-`]);
    expect(progress.every((done, index) => index === 0 || done >= progress[index - 1]!)).toBe(true);
  });

  test("a .part file left by an earlier run is resumed; a server that ignores ranges is read from the start", async () => {
    const file = target();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.part`, model.subarray(0, 200_000));
    expect(await pullModel({ url: `${base}/tiny.gguf`, file, sha256 })).toMatchObject({ resumedFrom: 200_000, bytes: model.length });
    expect(requests.at(-1)?.range).toBe("bytes=200000-");
    sameAsModel(file);

    behaviour.ignoreRange = true;
    const other = target();
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(`${other}.part`, Buffer.alloc(50_000, 7)); // garbage that a 200 answer replaces
    await pullModel({ url: `${base}/tiny.gguf`, file: other, sha256 });
    sameAsModel(other);
  });

  test("a checksum or size mismatch is refused and nothing is kept", async () => {
    const file = target();
    await expect(pullModel({ url: `${base}/tiny.gguf`, file, sha256: "0".repeat(64) })).rejects.toThrow(
      new RegExp(`checksum mismatch for ${base}/tiny\\.gguf: expected SHA-256 0{64}, got ${sha256}; the download was deleted`),
    );
    await expect(pullModel({ url: `${base}/tiny.gguf`, file, sha256, size: model.length + 1 })).rejects.toThrow(/sent \d+ bytes but the model has \d+/);
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
    behaviour.status = 404;
    await expect(pullModel({ url: `${base}/missing.gguf`, file, sha256 })).rejects.toThrow(/HTTP 404/);
  });
});

describe("cocanvas models", () => {
  const cli = (dataDir: string, args: string[], env: Record<string, string> = {}) =>
    runCli(["models", ...args, "--data-dir", dataDir], { COCANVAS_MODEL: "", OPENAI_API_KEY: "", COCANVAS_MODELS_URL: "", ...env });

  test("pull refuses a file that does not match the catalogue's checksum (mirror via COCANVAS_MODELS_URL)", async () => {
    const dataDir = temporaryDataDir();
    const result = await cli(dataDir, ["pull"], { COCANVAS_MODELS_URL: `${base}/mirror/` });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`sent ${model.length} bytes but the model has ${defaultLocalModel.size}; the download was deleted`));
    expect(requests.map((request) => request.url)).toEqual([`/mirror/${defaultLocalModel.file}`]);
    expect(fs.readdirSync(path.join(dataDir, "models"))).toEqual([]);
  });

  test("pull --url --sha256, list, and test with exit codes", async () => {
    const dataDir = temporaryDataDir();
    const pulled = await cli(dataDir, ["pull", "tiny", "--url", `${base}/tiny.gguf`, "--sha256", sha256]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain("Pulled local:tiny.gguf to");
    expect(pulled.stdout).toContain("SHA-256 verified");
    sameAsModel(path.join(dataDir, "models", "tiny.gguf"));

    behaviour.status = 401; // the fake "OpenAI" below refuses the key
    const [listed, tested, noKey, refused] = await Promise.all([
      cli(dataDir, ["list"], { COCANVAS_MODEL: "local:tiny.gguf" }),
      cli(dataDir, ["test"], { COCANVAS_MODEL: "local:tiny.gguf" }),
      cli(dataDir, ["test", "--model", "openai:gpt-4.1-mini"]),
      cli(dataDir, ["test", "--model", "openai:gpt-4.1-mini"], { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${base}/v1` }),
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/local:tiny\.gguf\s+0 MB\s+tiny\.gguf/);
    expect(listed.stdout).toContain("Default model: local:tiny.gguf (from COCANVAS_MODEL)");

    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stderr).toContain("Testing local:tiny.gguf (from COCANVAS_MODEL)");
    expect(tested.stdout).toMatch(/^abcdefghijklmnopqrstuvwxyz\n26 tokens in [\d.]+ s \(first token after [\d.]+ s\), [\d.]+ tokens\/s\n$/);

    expect(noKey.code, noKey.stderr).toBe(2); // configuration: nothing was asked
    expect(noKey.stderr).toContain("cocanvas: OPENAI_API_KEY is not set");
    expect(refused.code, refused.stderr).toBe(1); // the model was asked and failed
    expect(refused.stderr).toMatch(/cocanvas: the model failed: /);
    expect(requests.at(-1)?.url).toBe("/v1/chat/completions");
  });
});

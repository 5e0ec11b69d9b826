/**
 * The embedded engine, end to end through the real node-llama-cpp: a tiny generated GGUF
 * model (tests/fixtures/tiny-gguf.ts) whose greedy output is known in advance, driven by
 * the AI SDK's streamText/generateText exactly as the server drives any model.
 */
import fs from "node:fs";
import path from "node:path";
import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { generateText, Output, streamText, tool } from "ai";
import { afterAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { LocalEngine, localThreads } from "../packages/server/src/models/local-engine.ts";
import { PlainChatWrapper } from "./fixtures/tiny-chat-wrapper.ts";
import { tinyGguf, writeTinyGguf } from "./fixtures/tiny-gguf.ts";
import { temporaryDir } from "./helpers/temporary.ts";

const dir = temporaryDir("engine");
const tinyFile = writeTinyGguf(path.join(dir, "tiny.gguf"));
/** Same model, but a JSON string starts with "t": under a tools grammar it picks {"tool": …} over {"answer": …}. */
const toolFirstFile = writeTinyGguf(path.join(dir, "tool-first.gguf"), { successors: { '"': "t" } });
const engine = new LocalEngine({ chatWrapper: new PlainChatWrapper(), contextSize: 2048 });
const tiny = engine.languageModel(tinyFile, "tiny");
afterAll(() => engine.close());

const alphabetAfter = (letter: string) => "abcdefghijklmnopqrstuvwxyz".slice("abcdefghijklmnopqrstuvwxyz".indexOf(letter) + 1);
const lookup = tool({ description: "Looks a word up", inputSchema: z.object({ query: z.string() }), execute: async ({ query }) => `definition of ${query}` });
const userPrompt = (text: string) => [{ role: "user" as const, content: [{ type: "text" as const, text }] }];

async function collect(model: LanguageModelV3, text: string, abortSignal?: AbortSignal, maxOutputTokens?: number) {
  const { stream } = await model.doStream({ prompt: userPrompt(text), abortSignal, maxOutputTokens });
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const next = await reader.read();
    if (next.done) return parts;
    parts.push(next.value);
  }
}

describe("text", () => {
  test("streamText streams the predicted text token by token, with usage", async () => {
    const result = streamText({ model: tiny, prompt: "a" });
    const deltas: string[] = [];
    for await (const part of result.fullStream) if (part.type === "text-delta") deltas.push(part.text);
    expect(deltas.join("")).toBe(alphabetAfter("a"));
    expect(deltas.length).toBe(25); // one token per letter: really streamed
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(25);
    expect(usage.inputTokens).toBeGreaterThanOrEqual(2); // BOS + "a"
  });

  test("generateText (doGenerate) returns the same text; the prompt decides where it starts", async () => {
    expect((await generateText({ model: tiny, prompt: "Start at q" })).text).toBe(alphabetAfter("q"));
    const capped = await generateText({ model: tiny, prompt: "a", maxOutputTokens: 5 });
    expect(capped.text).toBe("bcdef");
    expect(capped.finishReason).toBe("length");
  });
});

describe("structured output", () => {
  test("a JSON schema constrains the output (Output.object)", async () => {
    const result = await generateText({ model: tiny, prompt: "Pick a word", output: Output.object({ schema: z.object({ word: z.string() }) }) });
    expect(result.output).toEqual({ word: "abcdefghijklmnopqrstuvwxyz" });
  });

  test("nested objects and arrays follow the schema too", async () => {
    const schema = z.object({ title: z.string(), tags: z.array(z.string()).max(0), meta: z.object({ note: z.string() }) });
    const result = await generateText({ model: tiny, prompt: "x", output: Output.object({ schema }) });
    expect(result.output).toEqual({ title: "abcdefghijklmnopqrstuvwxyz", tags: [], meta: { note: "abcdefghijklmnopqrstuvwxyz" } });
  });

  test("a required tool call streams tool-input parts and a tool-call that streamText executes", async () => {
    const result = streamText({ model: tiny, prompt: "x", tools: { lookup }, toolChoice: "required" });
    const types: string[] = [];
    let input = "";
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "tool-input-delta") input += part.delta;
    }
    expect(types.filter((type) => type.startsWith("tool"))).toEqual([
      "tool-input-start",
      ...Array<string>(types.filter((type) => type === "tool-input-delta").length).fill("tool-input-delta"),
      "tool-input-end",
      "tool-call",
      "tool-result",
    ]);
    expect(types.filter((type) => type === "tool-input-delta").length).toBeGreaterThan(10); // the input is streamed as written
    expect(JSON.parse(input)).toEqual({ query: "abcdefghijklmnopqrstuvwxyz" });
    expect((await result.toolCalls).map((call) => [call.toolName, call.input])).toEqual([["lookup", { query: "abcdefghijklmnopqrstuvwxyz" }]]);
    expect((await result.toolResults)[0]?.output).toBe("definition of abcdefghijklmnopqrstuvwxyz");
    expect(await result.finishReason).toBe("tool-calls");
  });

  test("with tools on auto the model chooses: a tool call, or a plain answer streamed as text", async () => {
    const toolFirst = engine.languageModel(toolFirstFile, "tool-first");
    const called = await generateText({ model: toolFirst, prompt: "x", tools: { lookup } });
    expect(called.toolCalls.map((call) => call.input)).toEqual([{ query: "tuvwxyz" }]);

    const answered = streamText({ model: tiny, prompt: "x", tools: { lookup } });
    const deltas: string[] = [];
    for await (const part of answered.fullStream) if (part.type === "text-delta") deltas.push(part.text);
    expect(deltas.join("")).toBe("abcdefghijklmnopqrstuvwxyz"); // {"answer":"…"} arrives as text, not JSON
    expect(deltas.length).toBeGreaterThan(10);
    expect(await answered.toolCalls).toEqual([]);
  });
});

describe("one generation at a time", () => {
  test("concurrent calls run one after the other, in order", async () => {
    const events: string[] = [];
    const run = async (name: string, text: string) => {
      for (const part of await collect(tiny, text)) if (part.type === "text-delta" || part.type === "finish") events.push(`${name}:${part.type}`);
    };
    await Promise.all([run("first", "a"), run("second", "m"), run("third", "t")]);
    const finishOf = (name: string) => events.indexOf(`${name}:finish`);
    const firstTextOf = (name: string) => events.indexOf(`${name}:text-delta`);
    expect(firstTextOf("second")).toBeGreaterThan(finishOf("first"));
    expect(firstTextOf("third")).toBeGreaterThan(finishOf("second"));
  });

  test("abort stops a generation mid-way and the engine serves the next call", async () => {
    const controller = new AbortController();
    let deltas = 0;
    const result = streamText({ model: tiny, prompt: "0", maxOutputTokens: 100_000, abortSignal: controller.signal });
    const types: string[] = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta" && ++deltas === 20) controller.abort();
    }
    expect(types).toContain("abort");
    expect(deltas).toBeLessThan(40);
    expect((await generateText({ model: tiny, prompt: "w" })).text).toBe("xyz");
  });

  test("a call aborted while waiting for its turn never runs", async () => {
    const running = new AbortController();
    const { stream } = await tiny.doStream({ prompt: userPrompt("0"), abortSignal: running.signal, maxOutputTokens: 100_000 });
    const reader = stream.getReader();
    while ((await reader.read()).value?.type !== "text-delta");

    const waiting = new AbortController();
    const queued = collect(tiny, "a", waiting.signal);
    waiting.abort();
    await expect(queued).rejects.toMatchObject({ name: "AbortError" });
    running.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("broken model files", () => {
  const broken = (name: string, bytes: Buffer | string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return engine.languageModel(file, name);
  };
  const fails = (model: LanguageModelV3) => generateText({ model, prompt: "a", maxRetries: 0 });

  test("a missing file, a file that is not GGUF and a truncated one are refused with a clear message", async () => {
    await expect(fails(engine.languageModel(path.join(dir, "nowhere.gguf")))).rejects.toThrow(/nowhere\.gguf does not exist/);
    await expect(fails(broken("text.gguf", "this is not a model, just text"))).rejects.toThrow(/is not a GGUF model: it does not start with "GGUF"\.$/);
    const whole = tinyGguf();
    await expect(fails(broken("truncated.gguf", whole.subarray(0, whole.length - 5000)))).rejects.toThrow(/truncated\.gguf is truncated/);
    const noHeads = Buffer.from(whole);
    Buffer.from("llama.attention.head_xxxxx").copy(noHeads, noHeads.indexOf("llama.attention.head_count\u0004"));
    await expect(fails(broken("no-heads.gguf", noHeads))).rejects.toThrow(/lacks llama\.attention\.head_count/);
  });

  test("a file that crashes llama.cpp (native assert) costs a child process, not this one", async () => {
    const zeroHeads = tinyGguf();
    const key = Buffer.from("llama.attention.head_count\u0004\u0000\u0000\u0000");
    zeroHeads.writeUInt32LE(0, zeroHeads.indexOf(key) + key.length); // u32 head_count = 0: GGML_ASSERT aborts the loader
    const error = await fails(broken("zero-heads.gguf", zeroHeads)).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/llama\.cpp crashed \(SIGABRT\) while loading .*zero-heads\.gguf.*GGML_ASSERT/);
    expect((await generateText({ model: tiny, prompt: "x", maxOutputTokens: 3 })).finishReason).toBeDefined(); // still serving
  });
});

test("threads: 1 on two cores or fewer, half the cores above, at most 8", () => {
  expect([1, 2, 3, 4, 8, 16, 64].map((cores) => localThreads(cores))).toEqual([1, 1, 1, 2, 4, 8, 8]);
});

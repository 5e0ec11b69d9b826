import { expect, test } from "vitest";
import { runJavaScript } from "./javascript-sandbox.ts";

test("runs JavaScript and returns what it logged", async () => {
  const result = await runJavaScript({ code: "const words = stdin.split(' '); console.log(words.length, JSON.stringify({ a: 1 })); console.error('careful')", stdin: "one two three" });
  expect(result).toMatchObject({ status: "ok", stdout: '3 {"a":1}\n', stderr: "careful\n" });
});

test("a thrown error is reported with its message", async () => {
  const result = await runJavaScript({ code: "throw new TypeError('nope')" });
  expect(result.status).toBe("error");
  expect(result.stderr).toContain("TypeError: nope");
});

test("sees nothing of Node: no require, process, files or network", async () => {
  const result = await runJavaScript({
    code: "for (const name of ['require', 'process', 'fetch', 'XMLHttpRequest', 'WebSocket', 'Deno', 'Bun']) console.log(name, typeof globalThis[name])",
  });
  expect(result.status).toBe("ok");
  expect(result.stdout.trim().split("\n").every((line) => line.endsWith("undefined"))).toBe(true);
});

test("an endless loop is stopped at the deadline", async () => {
  const result = await runJavaScript({ code: "for (;;) {}", limits: { timeoutMs: 500 } });
  expect(result.status).toBe("timeout");
  expect(result.stderr).toContain("longer than");
});

test("an allocation past the memory limit is stopped", async () => {
  const result = await runJavaScript({ code: "const parts = []; for (;;) parts.push('x'.repeat(1 << 20));", limits: { memoryBytes: 16 * 1024 * 1024, timeoutMs: 5_000 } });
  expect(["memory", "timeout"]).toContain(result.status);
  expect(result.stderr).toMatch(/needed more than|longer than/);
});

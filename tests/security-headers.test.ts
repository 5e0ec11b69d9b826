import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { startTestServer } from "./helpers/server.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const directives = (header: string | null) => Object.fromEntries((header ?? "").split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

test("pages may load scripts, images and connections from the server only, and cannot be framed", async () => {
  const page = await fetch(`${server.url}/c/some-canvas`);
  const policy = directives(page.headers.get("content-security-policy"));
  expect(policy["script-src"]).toEqual(["'self'"]);
  expect(policy["img-src"]).toEqual(["'self'", "data:", "blob:"]);
  expect(policy["connect-src"]).toEqual(["'self'"]);
  expect(policy["object-src"]).toEqual(["'none'"]);
  expect(policy["frame-ancestors"]).toEqual(["'none'"]);
  expect(page.headers.get("x-frame-options")).toBe("DENY");
});

test("API answers load nothing", async () => {
  const health = await fetch(`${server.url}/api/health`);
  expect(directives(health.headers.get("content-security-policy"))["default-src"]).toEqual(["'none'"]);
  expect(health.headers.get("x-content-type-options")).toBe("nosniff");
});

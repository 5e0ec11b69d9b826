/**
 * Property-based fuzzing of the HTTP API: random and half-valid JSON bodies, path ids and
 * query strings against every route of the OpenAPI document, with and without a token.
 * No answer may be a 500 (an expected failure has its own status), the server must keep
 * answering, and the owner's data must still be readable afterwards.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { scriptedModels } from "./fixtures/scripted-model.ts";
import { api, signUp, startTestServer, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

interface Operation {
  method: string;
  path: string;
  query: string[];
  properties: string[];
}

let server: RunningServer;
let owner: TestUser;
let viewer: TestUser;
let ids: string[];
let operations: Operation[];

beforeAll(async () => {
  // Every model call goes to the scripted model: no fuzzed model setting can reach the network.
  server = await startTestServer({ models: scriptedModels({ tokensPerSecond: 0 }) });
  owner = await signUp(server, "owner@example.com");
  viewer = await signUp(server, "viewer@example.com");
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, owner, "doc", [[viewer, "viewer"]]);
  ids = [workspaceId, canvasId, owner.id, viewer.id];
  const document = (await api(server, null, "GET", "/api/openapi.json")).body as { paths: Record<string, Record<string, any>> };
  operations = Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: route,
      query: (operation.parameters ?? []).filter((parameter: any) => parameter.in === "query").map((parameter: any) => parameter.name),
      properties: Object.keys(operation.requestBody?.content?.["application/json"]?.schema?.properties ?? {}),
    })),
  );
});
afterAll(() => server.close());

// Values that stress validation: wrong types, huge and odd numbers, deep nesting, odd strings.
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, -1, 0, 1e308, -0, 2 ** 53 + 1, "", "../../etc/passwd", "\u0000", "%00", "a".repeat(5000), "<script>", "viewer", "owner", "admin"),
);
const body = (operation: Operation) =>
  fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 4 }),
    // Half-valid: the route's own field names with random values, plus sometimes a stranger.
    operation.properties.length
      ? fc.dictionary(fc.oneof(fc.constantFrom(...operation.properties), fc.string({ maxLength: 8 })), oddValue, { maxKeys: 6 })
      : fc.dictionary(fc.string({ maxLength: 8 }), oddValue, { maxKeys: 3 }),
    fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
  );
const pathValue = () => fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 40 }), fc.constantFrom("..", "%2e%2e", "null", "0", "-1"));

function request(operation: Operation) {
  const segments = operation.path.match(/\{[^}]+\}/g) ?? [];
  return fc.record({
    auth: fc.constantFrom("none", "owner", "viewer"),
    params: fc.tuple(...segments.map(pathValue)),
    query: fc.dictionary(operation.query.length ? fc.constantFrom(...operation.query) : fc.constant("x"), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
    body: body(operation),
  });
}

async function send(operation: Operation, input: { auth: string; params: string[]; query: Record<string, string>; body: unknown }) {
  let route = operation.path;
  input.params.forEach((value) => (route = route.replace(/\{[^}]+\}/, encodeURIComponent(value))));
  const query = new URLSearchParams(input.query).toString();
  const user = input.auth === "owner" ? owner : input.auth === "viewer" ? viewer : null;
  const raw = typeof input.body === "object" && input.body !== null && "raw" in input.body ? String((input.body as { raw: string }).raw) : undefined;
  const response = await fetch(`${server.url}${route}${query ? `?${query}` : ""}`, {
    method: operation.method,
    headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), ...(input.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: operation.method === "GET" || input.body === undefined ? undefined : (raw ?? JSON.stringify(input.body)),
  });
  // An event stream (GET /api/events) stays open by design: its status and first bytes are the answer.
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, text: "" };
  }
  const text = await response.text();
  return { status: response.status, text };
}

test("random bodies, ids and queries on every route never answer 500", async () => {
  expect(operations.length).toBeGreaterThan(50);
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...operations).chain((operation) => request(operation).map((input) => ({ operation, input }))),
      async ({ operation, input }) => {
        const { status, text } = await send(operation, input);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // 503 is the documented answer when a model or the mailer is unavailable.
        if (status >= 500 && status !== 503) failures.push(`${operation.method} ${operation.path} ${JSON.stringify(input).slice(0, 300)} → ${status} ${text.slice(0, 200)}`);
        return status < 500 || status === 503;
      },
    ),
    // A fixed number of requests, not a time budget: on a loaded machine a budget let too few run.
    { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  expect(failures).toEqual([]);
  // Every request ran, and some got past validation and authorization.
  expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(1500);
  expect([...statuses.keys()].some((status) => status < 300)).toBe(true);
  if (process.env.FUZZ_REPORT) console.log(Object.fromEntries(statuses));
  // Still serving, and still writing.
  expect((await api(server, null, "GET", "/api/health")).status).toBe(200);
  await signUp(server, "after-fuzzing@example.com");
}, 240_000);

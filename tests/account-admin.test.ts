import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { runCli } from "./helpers/child-server.ts";
import { api, connect, eventually, password, signUp, startTestServer, synced, temporaryDataDir, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server, "admin@example.com");
});
afterAll(() => server.close());

const newPassword = "a brand new passphrase 42";
// Every sign-in and password change runs scrypt (~0.3 s alone, far more on a shared CI machine).
const scryptHeavy = 180_000;

async function login(email: string, secret: string) {
  const response = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: secret }) });
  const body = (await response.json()) as any;
  return { status: response.status, body, cookie: response.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ") };
}
const signedIn = async (cookie: string) => (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status === 200;
const withCookie = (cookie: string, csrfToken: string, method: string, route: string, body?: unknown) =>
  fetch(`${server.url}${route}`, { method, headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

test("the profile page's changes: name, email, and a password change that needs the current one and ends the other sessions", async () => {
  const person = await signUp(server, "pat@example.com");
  const renamed = await withCookie(person.cookie, person.csrfToken, "PATCH", "/api/auth/me", { name: "Pat Doe", email: "Pat.Doe@Example.com" });
  expect(renamed.status).toBe(200);
  expect(((await renamed.json()) as any).user).toMatchObject({ name: "Pat Doe", email: "pat.doe@example.com" });
  expect((await withCookie(person.cookie, person.csrfToken, "PATCH", "/api/auth/me", { email: admin.email })).status).toBe(409);

  const elsewhere = await login("pat.doe@example.com", password);
  expect(await signedIn(elsewhere.cookie)).toBe(true);

  const wrong = await withCookie(person.cookie, person.csrfToken, "POST", "/api/auth/password", { currentPassword: "not it at all", newPassword });
  expect(wrong.status).toBe(400);
  expect(((await wrong.json()) as any).error.message).toMatch(/currentPassword/);
  expect((await login("pat.doe@example.com", password)).status).toBe(200);

  expect((await withCookie(person.cookie, person.csrfToken, "POST", "/api/auth/password", { currentPassword: password, newPassword })).status).toBe(204);
  expect(await signedIn(person.cookie)).toBe(true);
  expect(await signedIn(elsewhere.cookie)).toBe(false);
  expect((await login("pat.doe@example.com", password)).status).toBe(401);
  expect((await login("pat.doe@example.com", newPassword)).status).toBe(200);
}, scryptHeavy);

test("an admin disables an account: its session, API token and live connection stop at once, and sign-in says why", async () => {
  const person = await signUp(server, "dana@example.com");
  const { canvasId } = await workspaceWithCanvas(server, person);
  const live = connect(server.url, canvasId, person.token);
  await synced(live.provider);
  let closed = false;
  live.provider.on("close", () => (closed = true));

  expect((await api(server, person, "PATCH", `/api/admin/users/${admin.id}`, { disabled: true })).status).toBe(403);
  const disabled = await api(server, admin, "PATCH", `/api/admin/users/${person.id}`, { disabled: true });
  expect(disabled.body.disabledAt).toEqual(expect.any(String));

  expect((await api(server, person, "GET", "/api/workspaces")).status).toBe(401);
  expect(await signedIn(person.cookie)).toBe(false);
  await eventually(() => closed, "the live connection to close");
  live.destroy();
  const refused = await login(person.email, password);
  expect(refused.status).toBe(403);
  expect(refused.body.error).toMatchObject({ code: "account_disabled", message: expect.stringMatching(/disabled.*admin/) });
  // Someone without the password learns nothing about the account's state.
  expect((await login(person.email, "not the password")).body.error.code).toBe("unauthenticated");
  expect((await api(server, admin, "GET", "/api/admin/users")).body.items.find((user: any) => user.id === person.id).disabledAt).toEqual(expect.any(String));

  await api(server, admin, "PATCH", `/api/admin/users/${person.id}`, { disabled: false });
  expect((await login(person.email, password)).status).toBe(200);
  expect((await api(server, person, "GET", "/api/workspaces")).status).toBe(200);
}, scryptHeavy);

test("an admin sets a new password for someone: their sessions end and the new password works", async () => {
  const person = await signUp(server, "eli@example.com");
  expect((await api(server, person, "POST", `/api/admin/users/${person.id}/password`, { password: newPassword })).status).toBe(403);
  expect((await api(server, admin, "POST", `/api/admin/users/${person.id}/password`, { password: "" })).status).toBe(400);
  expect((await api(server, admin, "POST", `/api/admin/users/${person.id}/password`, { password: newPassword })).status).toBe(204);
  expect(await signedIn(person.cookie)).toBe(false);
  expect((await login(person.email, newPassword)).status).toBe(200);
}, scryptHeavy);

test("an admin deletes an account: workspaces only they were in go too; the only owner of a shared workspace must hand it on first", async () => {
  const loner = await signUp(server, "loner@example.com");
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, loner);
  expect((await api(server, admin, "DELETE", `/api/admin/users/${loner.id}`)).status).toBe(204);
  expect((await login(loner.email, password)).status).toBe(401);
  expect((await api(server, loner, "GET", "/api/workspaces")).status).toBe(401);
  expect(await server.storage.getWorkspace(workspaceId)).toBeNull();
  expect(await server.storage.getCanvas(canvasId)).toBeNull();

  const lead = await signUp(server, "lead@example.com");
  const helper = await signUp(server, "helper@example.com");
  const team = await workspaceWithCanvas(server, lead, "doc", [[helper, "editor"]]);
  const blocked = await api(server, admin, "DELETE", `/api/admin/users/${lead.id}`);
  expect(blocked.status).toBe(409);
  expect(blocked.body.error.message).toMatch(/only owner of the workspace "Team"/);
  expect((await api(server, lead, "GET", `/api/workspaces/${team.workspaceId}`)).status).toBe(200);
  await api(server, lead, "PATCH", `/api/workspaces/${team.workspaceId}/members/${helper.id}`, { role: "owner" });
  expect((await api(server, admin, "DELETE", `/api/admin/users/${lead.id}`)).status).toBe(204);
  expect((await api(server, helper, "GET", `/api/workspaces/${team.workspaceId}/members`)).body.items.map((member: any) => member.email)).toEqual([helper.email]);
  expect((await api(server, admin, "DELETE", `/api/admin/users/${admin.id}`)).status).toBe(409);
}, scryptHeavy);

test("cocanvas user reset-password, disable and enable work on the data folder", async () => {
  const dataDir = temporaryDataDir();
  const cli = (...args: string[]) => runCli(args, { COCANVAS_DATA_DIR: dataDir });
  expect((await cli("user", "create", "--email", "root@example.com", "--password", password)).code).toBe(0);
  expect((await cli("user", "create", "--email", "ops@example.com", "--password", password)).code).toBe(0);
  const reset = await cli("user", "reset-password", "--email", "ops@example.com");
  expect(reset.code, reset.stderr).toBe(0);
  const madeUp = reset.stdout.trim().split("\n").pop()!;
  const tooShort = await cli("user", "reset-password", "--email", "ops@example.com", "--password", "x");
  expect(tooShort.code).not.toBe(0);
  expect(tooShort.stderr).toMatch(/--password/);
  expect((await cli("user", "disable", "--email", "ops@example.com")).code).toBe(0);

  const local = await startTestServer({ dataDir });
  try {
    const attempt = (secret: string) =>
      fetch(`${local.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "ops@example.com", password: secret }) });
    expect((await attempt(madeUp)).status).toBe(403);
    expect((await cli("user", "enable", "--email", "ops@example.com")).code).toBe(0);
    expect((await attempt(password)).status).toBe(401);
    expect((await attempt(madeUp)).status).toBe(200);
  } finally {
    await local.close();
  }
  // Each CLI run starts a Node process and runs scrypt.
}, 2 * scryptHeavy);

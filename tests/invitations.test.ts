import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { api, signUp, startTestServer, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let workspaceId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  workspaceId = (await api(server, owner, "POST", "/api/workspaces", { name: "Studio" })).body.id;
  // Sign-ups are off: an invitation is still permission to join.
  await api(server, owner, "PATCH", "/api/admin/settings", { allowSignup: false });
});
afterAll(() => server.close());

const accept = (token: string, body: unknown) =>
  fetch(`${server.url}/api/invitations/${token}/accept`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("an invitation signs a new person up into the workspace with its role, once, even with sign-up off", async () => {
  const invitation = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/invitations`, { role: "editor", email: "newcomer@example.com" })).body;
  expect(invitation).toMatchObject({ role: "editor", status: "open", emailed: false, url: expect.stringContaining(`/invite/${invitation.token}`) });
  expect((await api(server, null, "GET", `/api/invitations/${invitation.token}`)).body).toMatchObject({ workspaceName: "Studio", role: "editor", email: "newcomer@example.com" });

  expect((await accept(invitation.token, { email: "someone-else@example.com", password: "a long enough passphrase" })).status).toBe(400);
  const joined = await accept(invitation.token, { password: "a long enough passphrase", name: "Newcomer" });
  expect(joined.status).toBe(200);
  const body = (await joined.json()) as any;
  expect(body.user.email).toBe("newcomer@example.com");
  expect(body.workspace).toMatchObject({ id: workspaceId, role: "editor" });
  const cookie = joined.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const workspaces = (await (await fetch(`${server.url}/api/workspaces`, { headers: { cookie } })).json()) as any;
  expect(workspaces.items.map((workspace: any) => workspace.name)).toEqual(["Studio"]);

  // Used once: the link no longer works, and the list shows it accepted.
  expect((await accept(invitation.token, { password: "a long enough passphrase" })).status).toBe(404);
  expect((await api(server, owner, "GET", `/api/workspaces/${workspaceId}/invitations`)).body.items[0]).toMatchObject({ id: invitation.id, status: "accepted" });
}, 120_000);

test("a signed-in person joins with their account; revoked invitations stop working; only owners invite", async () => {
  const member = await signUp(server, "member@example.com").catch(() => null);
  // Sign-up is off here: make the account through an invitation instead.
  expect(member).toBeNull();
  const first = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/invitations`, { role: "viewer" })).body;
  const created = await accept(first.token, { email: "reader@example.com", password: "a long enough passphrase" });
  const readerCookie = created.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const readerCsrf = ((await created.json()) as any).csrfToken;
  const asReader = (method: string, route: string, body?: unknown) =>
    fetch(`${server.url}${route}`, { method, headers: { cookie: readerCookie, "x-csrf-token": readerCsrf, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

  expect((await asReader("POST", `/api/workspaces/${workspaceId}/invitations`, { role: "owner" })).status).toBe(403);

  const upgrade = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/invitations`, { role: "editor" })).body;
  const joined = await asReader("POST", `/api/invitations/${upgrade.token}/accept`, {});
  expect(((await joined.json()) as any).workspace.role).toBe("editor");

  const revoked = (await api(server, owner, "POST", `/api/workspaces/${workspaceId}/invitations`, { role: "owner" })).body;
  expect((await api(server, owner, "DELETE", `/api/workspaces/${workspaceId}/invitations/${revoked.id}`)).status).toBe(204);
  expect((await asReader("POST", `/api/invitations/${revoked.token}/accept`, {})).status).toBe(404);
  expect((await api(server, null, "GET", `/api/invitations/${revoked.token}`)).status).toBe(404);
  const statuses = (await api(server, owner, "GET", `/api/workspaces/${workspaceId}/invitations`)).body.items.map((item: any) => item.status);
  expect(statuses).toEqual(["revoked", "accepted", "accepted", "accepted"]);
}, 120_000);

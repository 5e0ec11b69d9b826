import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { api, password, signUp, startTestServer } from "./helpers/server.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// Tests that check many passwords run scrypt (memory-hard, ~0.3 s each on an idle core) a dozen times.
const manyPasswords = 120_000;

const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

test("the first account becomes admin; later ones do not; an admin can close sign-ups", async () => {
  expect((await api(server, null, "GET", "/api/auth/config")).body).toEqual({ signupAllowed: true, needsFirstUser: true, emailConfigured: false });
  const admin = await signUp(server, "admin@example.com");
  const me = await api(server, admin, "GET", "/api/auth/me");
  expect(me.body.user.isAdmin).toBe(true);
  expect(me.body.user).not.toHaveProperty("passwordHash");
  const member = await signUp(server, "member@example.com");
  expect((await api(server, member, "GET", "/api/auth/me")).body.user.isAdmin).toBe(false);

  expect((await api(server, member, "PATCH", "/api/admin/settings", { allowSignup: false })).status).toBe(403);
  expect((await api(server, admin, "PATCH", "/api/admin/settings", { allowSignup: false })).status).toBe(200);
  const refused = await post("/api/auth/signup", { email: "late@example.com", password });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as any).error.code).toBe("signup_disabled");
  expect((await api(server, null, "GET", "/api/auth/config")).body.signupAllowed).toBe(false);
  await api(server, admin, "PATCH", "/api/admin/settings", { allowSignup: true });
});

test("sessions live in an httpOnly cookie; changes need the CSRF token; logout ends the session", async () => {
  await signUp(server, "carol@example.com");
  const login = await post("/api/auth/login", { email: "Carol@Example.com ", password });
  expect(login.status).toBe(200);
  const setCookie = login.headers.getSetCookie()[0]!;
  expect(setCookie).toMatch(/cocanvas_session=/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  const cookie = setCookie.split(";")[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  const withoutCsrf = await post("/api/workspaces", { name: "W" }, { cookie });
  expect(withoutCsrf.status).toBe(403);
  expect(((await withoutCsrf.json()) as any).error.code).toBe("csrf_failed");
  expect((await post("/api/workspaces", { name: "W" }, { cookie, "x-csrf-token": "wrong" })).status).toBe(403);
  expect((await post("/api/workspaces", { name: "W" }, { cookie, "x-csrf-token": csrfToken })).status).toBe(201);

  expect((await post("/api/auth/logout", {}, { cookie, "x-csrf-token": csrfToken })).status).toBe(204);
  expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
});

test("wrong passwords and unknown emails get the same answer", async () => {
  const wrong = await post("/api/auth/login", { email: "carol@example.com", password: "not the password" });
  const unknown = await post("/api/auth/login", { email: "nobody@example.com", password: "not the password" });
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  expect(await wrong.json()).toEqual(await unknown.json());
});

test("sign-up validates input and refuses a taken email", async () => {
  expect((await post("/api/auth/signup", { email: "not-an-email", password })).status).toBe(400);
  expect((await post("/api/auth/signup", { email: "short@example.com", password: "short" })).status).toBe(400);
  const taken = await post("/api/auth/signup", { email: "CAROL@example.com", password });
  expect(taken.status).toBe(409);
  // The answer says nothing about the account; a weak password is refused before the email is looked at.
  expect(((await taken.json()) as any).error.message).not.toMatch(/exist|account with/i);
  const weakOnTaken = await post("/api/auth/signup", { email: "carol@example.com", password: "password1234" });
  const weakOnFree = await post("/api/auth/signup", { email: "nobody-yet@example.com", password: "password1234" });
  expect(weakOnTaken.status).toBe(400);
  expect(await weakOnTaken.json()).toEqual(await weakOnFree.json());
});

test("sign-up refuses short and common passwords, naming the field", async () => {
  for (const weak of ["elevenchars", "qwertyuiop123", "Correct Horse Battery Staple", "111111111111"]) {
    const response = await post("/api/auth/signup", { email: "weak@example.com", password: weak });
    expect(response.status, weak).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toMatch(/password/);
  }
  expect((await api(server, null, "GET", "/api/auth/config")).body.needsFirstUser).toBe(false);
  expect((await post("/api/auth/login", { email: "weak@example.com", password: "qwertyuiop123" })).status).toBe(401);
});

test("adding a member answers the same whether or not the email has an account", async () => {
  const owner = await signUp(server, "owner-enum@example.com");
  await signUp(server, "has-account@example.com");
  const workspace = await api(server, owner, "POST", "/api/workspaces", { name: "Enumeration" });
  const known = await api(server, owner, "POST", `/api/workspaces/${workspace.body.id}/members`, { email: "has-account@example.com", role: "viewer" });
  const unknown = await api(server, owner, "POST", `/api/workspaces/${workspace.body.id}/members`, { email: "no-account@example.com", role: "viewer" });
  expect(known.status).toBe(202);
  expect(unknown.status).toBe(202);
  expect(known.body).toEqual({ email: "has-account@example.com", role: "viewer", status: "invited" });
  expect(unknown.body).toEqual({ email: "no-account@example.com", role: "viewer", status: "invited" });
  const members = (await api(server, owner, "GET", `/api/workspaces/${workspace.body.id}/members`)).body.items.map((member: any) => member.email);
  expect(members.sort()).toEqual(["has-account@example.com", "owner-enum@example.com"]);
});

test("API tokens: created once, listed without the secret, revoked for good", async () => {
  const dave = await signUp(server, "dave@example.com");
  const created = await api(server, dave, "POST", "/api/tokens", { name: "bot" });
  expect(created.status).toBe(201);
  expect(created.body.token).toMatch(/^cc_/);
  const bot = { ...dave, token: created.body.token };
  expect((await api(server, bot, "GET", "/api/auth/me")).body.user.email).toBe("dave@example.com");
  const listed = await api(server, dave, "GET", "/api/tokens");
  expect(listed.body.items.map((token: any) => token.name)).toContain("bot");
  expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  expect((await api(server, dave, "DELETE", `/api/tokens/${created.body.id}`)).status).toBe(204);
  const revoked = await api(server, bot, "GET", "/api/auth/me");
  expect(revoked.status).toBe(401);
  expect(revoked.body.error.code).toBe("unauthenticated");
});

test("the OpenAPI document describes the routes and health answers", async () => {
  const document = (await api(server, null, "GET", "/api/openapi.json")).body;
  expect(document.openapi).toBe("3.1.0");
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/workspaces", "/api/workspaces/{id}/canvases", "/api/canvases/{id}/export", "/api/health"]));
  expect(document.paths["/api/workspaces"].post.requestBody.content["application/json"].schema.properties.name).toBeDefined();
  expect((await api(server, null, "GET", "/api/health")).body.ok).toBe(true);
});

test("ten wrong passwords pause logins for that email, even with the right password", async () => {
  await signUp(server, "erin@example.com");
  for (let attempt = 0; attempt < 10; attempt++) {
    expect((await post("/api/auth/login", { email: "erin@example.com", password: `guess ${attempt}` })).status).toBe(401);
  }
  const paused = await post("/api/auth/login", { email: "erin@example.com", password });
  expect(paused.status).toBe(429);
  expect(((await paused.json()) as any).error.code).toBe("rate_limited");
}, manyPasswords);

test("one address trying many accounts is paused, even for an account it knows the password of", async () => {
  const limited = await startTestServer({ loginFailuresPerAddress: 3 });
  try {
    await signUp(limited, "grace@example.com");
    const login = (email: string, attempt: string) =>
      fetch(`${limited.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: attempt }) });
    for (let index = 0; index < 3; index++) expect((await login(`sprayed${index}@example.com`, "summer2026 password")).status).toBe(401);
    const paused = await login("grace@example.com", password);
    expect(paused.status).toBe(429);
    expect(((await paused.json()) as any).error.code).toBe("rate_limited");
  } finally {
    await limited.close();
  }
}, manyPasswords);

test("sign-ups probing for taken emails count towards the address's limit", async () => {
  const limited = await startTestServer({ loginFailuresPerAddress: 3 });
  try {
    await signUp(limited, "henry@example.com");
    const signup = () =>
      fetch(`${limited.url}/api/auth/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "henry@example.com", password }) });
    for (let index = 0; index < 3; index++) expect((await signup()).status).toBe(409);
    expect((await signup()).status).toBe(429);
  } finally {
    await limited.close();
  }
});

test("session cookies are Secure when the public URL is https", async () => {
  const secure = await startTestServer({ publicUrl: "https://cocanvas.example" });
  try {
    const response = await fetch(`${secure.url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ivy@example.com", password }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
  } finally {
    await secure.close();
  }
});

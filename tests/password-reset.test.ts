import net from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { api, eventually, password, signUp, startTestServer, type TestUser } from "./helpers/server.ts";

/** The smallest SMTP server that accepts mail: enough for nodemailer, keeping each message's text. */
function smtpReceiver() {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    socket.write("220 localhost test SMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          messages.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write("250 queued\r\n");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 localhost\r\n");
        else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 ok\r\n");
      }
    });
    socket.on("error", () => undefined);
  });
  return {
    messages,
    listen: () => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const receiver = smtpReceiver();
let server: RunningServer;
let person: TestUser;
const newPassword = "a fresh reset passphrase 7";

beforeAll(async () => {
  const port = await receiver.listen();
  server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}` });
  person = await signUp(server, "forgetful@example.com");
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

async function login(secret: string) {
  return (await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: person.email, password: secret }) })).status;
}

test("Forgot password? emails a single-use link that sets a new password and ends the other sessions", async () => {
  expect((await api(server, null, "GET", "/api/auth/config")).body.emailConfigured).toBe(true);
  const unknown = await api(server, null, "POST", "/api/auth/password/forgot", { email: "nobody@example.com" });
  const known = await api(server, null, "POST", "/api/auth/password/forgot", { email: person.email });
  expect(known.status).toBe(202);
  // The answer is the same whether or not the account exists.
  expect(known.body).toEqual(unknown.body);
  expect(known.body.message).toMatch(/If an account exists for that email, a reset link was sent/);

  await eventually(() => receiver.messages.length === 1, "the reset email to arrive");
  const mail = receiver.messages[0]!.replace(/=\r\n/g, "");
  expect(mail).toMatch(/To: forgetful@example\.com/);
  const token = /\/reset-password\/([\w-]+)/.exec(mail)![1]!;

  expect((await api(server, null, "POST", "/api/auth/password/reset", { token: "made-up", password: newPassword })).status).toBe(400);
  const reset = await fetch(`${server.url}/api/auth/password/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password: newPassword }) });
  expect(reset.status).toBe(200);
  const cookie = reset.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
  // The session from before the reset ended; the old password no longer works; the link works once.
  expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: person.cookie } })).status).toBe(401);
  expect(await login(password)).toBe(401);
  expect(await login(newPassword)).toBe(200);
  const again = await api(server, null, "POST", "/api/auth/password/reset", { token, password: "yet another passphrase 9" });
  expect(again.status).toBe(400);
  expect(again.body.error.message).toMatch(/token/);
}, 180_000);

test("with email off, Forgot password? tells the person to ask their admin", async () => {
  const quiet = await startTestServer();
  try {
    expect((await api(quiet, null, "GET", "/api/auth/config")).body.emailConfigured).toBe(false);
    const answer = await api(quiet, null, "POST", "/api/auth/password/forgot", { email: "someone@example.com" });
    expect(answer.body).toMatchObject({ sent: false, message: expect.stringMatching(/ask your admin/i) });
  } finally {
    await quiet.close();
  }
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { suggestionTextView, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { openEventStream } from "./helpers/event-stream.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";
import { startSmtpReceiver } from "./helpers/smtp-receiver.ts";

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe("the notification inbox", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let workspaceId: string;
  let canvasId: string;
  let threadId: string;
  const open: (() => void)[] = [];

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startTestServer({ smtpUrl: smtp.url, publicUrl: "https://cocanvas.example.test" });
    alice = await signUp(server, "alice@example.test");
    bob = await signUp(server, "bob@example.test");
    carol = await signUp(server, "carol@example.test");
    ({ workspaceId, canvasId } = await workspaceWithCanvas(server, alice, "doc", [
      [bob, "commenter"],
      [carol, "viewer"],
    ]));
    // A thread to reply in: replies need no selection.
    const live = connect(server.url, canvasId, alice.token, new Y.Doc());
    open.push(live.destroy);
    await synced(live.provider);
    writeDocMarkdown(live.document, "The launch plan");
    const view = suggestionTextView(live.document, { kind: "doc" });
    const started = await api(server, alice, "POST", `/api/canvases/${canvasId}/comments`, {
      selection: { from: base64(view.anchor(4, "start")), to: base64(view.anchor(10, "end")) },
      text: "Thoughts?",
    });
    expect(started.status).toBe(201);
    threadId = started.body.id;
  });
  afterAll(async () => {
    while (open.length) open.pop()!();
    await server?.close();
    await smtp?.close();
  });
  afterEach(async () => {
    await api(server, bob, "POST", "/api/notifications/read-all");
  });

  const reply = (author: TestUser, text: string) => api(server, author, "POST", `/api/canvases/${canvasId}/comments/${threadId}/replies`, { text });
  const unread = async (user: TestUser) => (await api(server, user, "GET", "/api/notifications/unread-count")).body.unread as number;

  it("puts a mention in the mentioned person's inbox, live, with a link to the canvas", async () => {
    const stream = await openEventStream(server, bob);
    expect((await reply(alice, "@bob can you check the dates?")).status).toBe(201);
    const created = await stream.waitFor((event) => event.event === "notification-created", "the notification on Bob's stream");
    expect(created.data.unread).toBe(1);
    expect(created.data.notification).toMatchObject({ kind: "mention", workspaceId, link: `/c/${canvasId}`, body: "@bob can you check the dates?", readAt: null });
    expect(created.data.notification.title).toContain("alice");
    expect(created.data.notification.title).toContain("Plan");

    const inbox = await api(server, bob, "GET", "/api/notifications");
    expect(inbox.body.items.map((item: { id: string }) => item.id)).toEqual([created.data.notification.id]);
    expect(inbox.body.nextCursor).toBeNull();
    expect(await unread(bob)).toBe(1);
    // Nobody else was told, and a person mentioning themselves is not either.
    await reply(alice, "note to self @alice");
    expect((await api(server, alice, "GET", "/api/notifications")).body.items).toEqual([]);
    expect((await api(server, carol, "GET", "/api/notifications")).body.items).toEqual([]);
    stream.close();
  });

  it("pages newest first", async () => {
    const stream = await openEventStream(server, bob);
    for (let index = 1; index <= 5; index++) await reply(alice, `@bob point ${index}`);
    await stream.waitFor(() => stream.events.filter((event) => event.event === "notification-created").length === 5, "five notifications");
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api(server, bob, "GET", `/api/notifications?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items.map((item: { body: string }) => item.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.slice(0, 3)).toEqual([
      ["@bob point 5", "@bob point 4"],
      ["@bob point 3", "@bob point 2"],
      ["@bob point 1", "@bob can you check the dates?"],
    ]);
    const unreadOnly = await api(server, bob, "GET", "/api/notifications?unread=true&limit=100");
    expect(unreadOnly.body.items).toHaveLength(5);
    stream.close();
  });

  it("marks read one by one or all at once, live, and only the person's own", async () => {
    const stream = await openEventStream(server, bob);
    await reply(alice, "@bob first");
    await reply(alice, "@bob second");
    await stream.waitFor(() => stream.events.filter((event) => event.event === "notification-created").length === 2, "two notifications");
    const [newest, older] = (await api(server, bob, "GET", "/api/notifications?unread=true")).body.items as { id: string }[];

    // Someone else cannot mark Bob's notification read, nor see it.
    const foreign = await api(server, carol, "POST", "/api/notifications/read", { ids: [newest!.id] });
    expect(foreign.body).toEqual({ marked: [], unread: 0 });
    expect(await unread(bob)).toBe(2);

    const marked = await api(server, bob, "POST", "/api/notifications/read", { ids: [newest!.id] });
    expect(marked.body).toEqual({ marked: [newest!.id], unread: 1 });
    const readEvent = await stream.waitFor((event) => event.event === "notification-read", "the read event");
    expect(readEvent.data).toEqual({ type: "notification-read", ids: [newest!.id], unread: 1 });
    const listed = (await api(server, bob, "GET", "/api/notifications?limit=2")).body.items as { id: string; readAt: string | null }[];
    expect(listed.find((item) => item.id === newest!.id)!.readAt).not.toBeNull();
    expect(listed.find((item) => item.id === older!.id)!.readAt).toBeNull();

    expect((await api(server, bob, "POST", "/api/notifications/read-all")).body).toEqual({ unread: 0 });
    await stream.waitFor((event) => event.event === "notification-read" && event.data.ids === "all", "the read-all event");
    expect(await unread(bob)).toBe(0);
    stream.close();
  });

  it("emails a notification when the person asked for that kind, and not otherwise", async () => {
    expect((await api(server, bob, "GET", "/api/notifications/settings")).body).toEqual({ email: false, emailKinds: {}, emailAvailable: true });
    // Carol wants mentions by email; Bob keeps email off.
    const saved = await api(server, carol, "PUT", "/api/notifications/settings", { email: false, emailKinds: { mention: true } });
    expect(saved.body).toEqual({ email: false, emailKinds: { mention: true }, emailAvailable: true });
    await reply(alice, "@bob and @carol: launch moved to Friday");
    await eventually(() => smtp.mails.length > 0, "an email");
    expect(smtp.mails.map((mail) => mail.to)).toEqual([["<carol@example.test>"]]);
    const mail = smtp.mails[0]!.data;
    expect(mail).toMatch(/Subject: =\?UTF-8\?Q\?alice_mentioned_you_on/);
    expect(mail).toContain("launch moved to Friday");
    expect(mail).toContain(`https://cocanvas.example.test/c/${canvasId}`);
    // Bob's inbox has it all the same.
    expect(await unread(bob)).toBe(1);
  });

  it("refuses malformed requests with the field named, changing nothing", async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ["PUT", "/api/notifications/settings", { email: "yes" }, /email/],
      ["PUT", "/api/notifications/settings", { email: true, emailKinds: { "Not A Kind!": true } }, /emailKinds/],
      ["POST", "/api/notifications/read", { ids: [] }, /ids/],
      ["GET", "/api/notifications?limit=0", undefined, /limit/],
      ["GET", "/api/notifications?cursor=abc", undefined, /cursor/],
    ];
    for (const [method, route, body, message] of cases) {
      const answer = await api(server, bob, method, route, body);
      expect(answer.status, route).toBe(400);
      expect(answer.body.error.message, route).toMatch(message);
    }
    expect((await api(server, bob, "GET", "/api/notifications/settings")).body.email).toBe(false);
    expect((await api(server, null, "GET", "/api/notifications")).status).toBe(401);
  });

  it("hides a workspace's notifications from someone no longer in it", async () => {
    await reply(alice, "@carol one more");
    await eventually(async () => (await unread(carol)) > 0, "Carol's notification");
    await api(server, alice, "DELETE", `/api/workspaces/${workspaceId}/members/${carol.id}`);
    expect((await api(server, carol, "GET", "/api/notifications")).body.items).toEqual([]);
    expect(await unread(carol)).toBe(0);
  });
});

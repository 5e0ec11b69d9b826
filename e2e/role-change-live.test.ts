import { expect, test } from "vitest";
import { docContent, editorText, eventually, focusEnd, openCanvas, recordSightings, screenshotsOnFailure, shareCanvas, signUpPerson, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

const statusSelector = "[data-testid=connection-status]";
const status = (page: import("playwright-core").Page) => page.getByTestId("connection-status").getAttribute("data-status");

test("changing someone's role never interrupts the others' typing; that person sees the new role at once", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const carol = await signUpPerson(running.browser, running.server.url, "Carol");
  const { workspaceId, canvasId } = await shareCanvas(alice, "doc", [
    { person: bob, role: "editor" },
    { person: carol, role: "editor" },
  ]);
  screenshotsOnFailure("role-change-others", [alice, bob, carol]);
  for (const person of [alice, bob, carol]) await openCanvas(person, canvasId);
  const aliceStatus = await recordSightings(alice.page, statusSelector);
  const carolStatus = await recordSightings(carol.page, statusSelector);

  await alice.api("PATCH", `/api/workspaces/${workspaceId}/members/${carol.userId}`, { role: "viewer" });
  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type("Typed right after changing Carol's role.");
  // A stalled provider sends this only after its ~30 s idle reconnect.
  await eventually(() => editorText(docContent(bob.page)), (text) => expect(text).toContain("Typed right after changing Carol's role."));

  // Carol's page learns at once that she can only view now, and says so.
  await eventually(() => carol.page.getByTestId("view-only-badge").isVisible(), (visible) => expect(visible).toBe(true));
  expect(await docContent(carol.page).getAttribute("contenteditable")).toBe("false");
  await eventually(() => editorText(docContent(carol.page)), (text) => expect(text).toContain("Typed right after changing Carol's role."));
  await eventually(() => status(carol.page), (value) => expect(value).toBe("connected"));
  expect((await carolStatus.seen()).map((sighting) => sighting.data.status)).toContain("offline");
  // Alice's page never stopped syncing.
  expect(new Set((await aliceStatus.seen()).map((sighting) => sighting.data.status))).toEqual(new Set(["connected"]));
});

test("a person whose role changes while they type loses nothing, and their page shows it was not syncing", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { workspaceId, canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);
  screenshotsOnFailure("role-change-typing", [alice, bob]);
  await openCanvas(alice, canvasId);
  await openCanvas(bob, canvasId);
  const bobStatus = await recordSightings(bob.page, statusSelector);

  await focusEnd(bob.page, docContent(bob.page));
  const sentence = "Bob keeps typing while his role changes, and every letter arrives.";
  const typing = bob.page.keyboard.type(sentence, { delay: 40 });
  await bob.page.waitForFunction(() => (document.querySelector("[data-testid=rich-text-content]")?.textContent ?? "").length > 10);
  await alice.api("PATCH", `/api/workspaces/${workspaceId}/members/${bob.userId}`, { role: "owner" });
  await typing;

  await eventually(() => editorText(docContent(alice.page)), (text) => expect(text).toBe(sentence));
  await eventually(() => status(bob.page), (value) => expect(value).toBe("connected"));
  expect(await editorText(docContent(bob.page))).toBe(sentence);
  // While the server checked his access again, his page said it was not syncing.
  expect((await bobStatus.seen()).map((sighting) => sighting.data.status)).toContain("offline");
});

test("leaving a page with unsent edits asks first, and the edits merge once the connection is back", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);
  screenshotsOnFailure("unsent-edits", [alice, bob]);
  await openCanvas(alice, canvasId);
  await openCanvas(bob, canvasId);

  await bob.context.setOffline(true);
  await eventually(() => status(bob.page), (value) => expect(value).toBe("offline"));
  await focusEnd(bob.page, docContent(bob.page));
  await bob.page.keyboard.type("Not sent yet.");
  const dialogs: string[] = [];
  bob.page.on("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss(); // stay on the page
  });
  await bob.page.close({ runBeforeUnload: true });
  await eventually(async () => dialogs, (seen) => expect(seen).toEqual(["beforeunload"]));
  expect(bob.page.isClosed()).toBe(false);

  await bob.context.setOffline(false);
  await eventually(() => editorText(docContent(alice.page)), (text) => expect(text).toContain("Not sent yet."));
});

import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { aliceAndBobOnADoc, docContent, eventually, screenshotsOnFailure, selectBeforeEnd, shareCanvas, signUpPerson, textOf, textsOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

/** Marks the page, so a later check can tell it was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
}
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true);

test("two people on a workspace page: one creates and renames a canvas, the other's list follows without a reload", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  screenshotsOnFailure("live-workspace", [alice, bob]);
  const { workspaceId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);
  for (const person of [alice, bob]) {
    await person.page.goto(`/w/${workspaceId}`);
    await eventually(() => textsOf(person.page.getByTestId("canvas-link")), (titles) => expect(titles).toEqual(["Shared notes"]));
  }
  await markPage(bob.page);

  // Alice creates a canvas from the list (which opens it for her).
  await alice.page.getByTestId("new-canvas-title").fill("Launch plan");
  await alice.page.getByTestId("create-doc").click();
  await eventually(() => textsOf(bob.page.getByTestId("canvas-link")), (titles) => expect(titles.sort()).toEqual(["Launch plan", "Shared notes"]));

  // She renames it in its page's header.
  await eventually(() => textOf(alice.page.getByTestId("canvas-title")), (title) => expect(title).toBe("Launch plan"));
  await alice.page.getByTestId("canvas-title").click();
  await alice.page.getByTestId("canvas-title-input").fill("Launch plan v2");
  await alice.page.getByTestId("canvas-title-input").press("Enter");
  await eventually(() => textsOf(bob.page.getByTestId("canvas-link")), (titles) => expect(titles.sort()).toEqual(["Launch plan v2", "Shared notes"]));

  // And renames the workspace from the list page: Bob's sidebar and heading follow.
  await alice.page.goto(`/w/${workspaceId}`);
  await alice.page.getByTestId("workspace-name").click();
  await alice.page.getByTestId("workspace-name-input").fill("Launch team");
  await alice.page.getByTestId("workspace-name-input").press("Enter");
  await eventually(() => textOf(bob.page.locator(`[data-testid=workspace-link][data-workspace-id="${workspaceId}"]`)), (name) => expect(name).toBe("Launch team"));
  expect(await stillSamePage(bob.page)).toBe(true);
});

test("a mention in a comment raises the other person's bell live; opening it marks it read", async () => {
  const { alice, bob, canvasId } = await aliceAndBobOnADoc(running, "live-bell", "commenter", "The launch is on Monday.");
  await markPage(bob.page);
  const bobCount = bob.page.getByTestId("notification-count");
  expect(await bobCount.count()).toBe(0);

  await selectBeforeEnd(alice.page, docContent(alice.page), "Monday", ".");
  await alice.page.getByTestId("comments-button").click();
  await alice.page.getByTestId("comment-text-input").fill("@Bob can you confirm the day?");
  await alice.page.getByTestId("comment-submit").click();

  await eventually(() => textOf(bobCount), (count) => expect(count).toBe("1"));
  expect(await stillSamePage(bob.page)).toBe(true);
  // Alice mentioned only Bob: her bell stays quiet.
  expect(await alice.page.getByTestId("notification-count").count()).toBe(0);

  await bob.page.getByTestId("notification-bell").click();
  const item = bob.page.getByTestId("notification-item");
  await eventually(() => textOf(item), (text) => {
    expect(text).toContain("Alice mentioned you on “Shared notes”");
    expect(text).toContain("@Bob can you confirm the day?");
    expect(text).toContain("just now");
  });
  expect(await item.getAttribute("data-read")).toBe("false");
  await bob.page.getByTestId("notification-mark-read").click();
  await eventually(() => bobCount.count(), (count) => expect(count).toBe(0));
  expect(await item.getAttribute("data-read")).toBe("true");

  // A second mention counts again; following it leads to the canvas.
  await alice.page.getByTestId("comment-thread").first().getByTestId("comment-reply-input").fill("@Bob ping");
  await alice.page.getByTestId("comment-thread").first().getByTestId("comment-reply-submit").click();
  await eventually(() => textOf(bobCount), (count) => expect(count).toBe("1"));
  await eventually(() => item.count(), (count) => expect(count).toBe(2));
  await bob.page.goto("/");
  await bob.page.getByTestId("notification-bell").click();
  await bob.page.getByTestId("notification-open").first().click();
  await eventually(async () => new URL(bob.page.url()).pathname, (path) => expect(path).toBe(`/c/${canvasId}`));
  await eventually(() => bobCount.count(), (count) => expect(count).toBe(0));
});

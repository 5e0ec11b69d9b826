import { expect, test } from "vitest";
import { docContent, editorText, eventually, focusEnd, openCanvas, shareCanvas, signUpPerson, screenshotsOnFailure, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

const status = (page: import("playwright-core").Page) => page.getByTestId("connection-status").getAttribute("data-status");

test("edits made offline are kept and merge when the connection returns", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);
  await openCanvas(alice, canvasId);
  screenshotsOnFailure("offline-edits", [alice, bob]);
  await openCanvas(bob, canvasId);

  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type("Shared start.");
  await eventually(() => editorText(docContent(bob.page)), (text) => expect(text).toBe("Shared start."));

  await alice.context.setOffline(true);
  await eventually(() => status(alice.page), (value) => expect(value).toBe("offline"));

  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.press("Enter");
  await alice.page.keyboard.type("Written on the train.");
  await focusEnd(bob.page, docContent(bob.page));
  await bob.page.keyboard.press("Enter");
  await bob.page.keyboard.type("Written at the office.");

  // While Alice is away, neither sees the other's new line.
  await bob.page.waitForTimeout(700);
  expect(await editorText(docContent(bob.page))).not.toContain("train");
  expect(await editorText(docContent(alice.page))).not.toContain("office");
  expect(await editorText(docContent(alice.page))).toContain("Written on the train.");

  await alice.context.setOffline(false);
  await eventually(() => status(alice.page), (value) => expect(value).toBe("connected"));

  for (const person of [alice, bob]) {
    await eventually(() => editorText(docContent(person.page)), (text) => {
      expect(text).toContain("Written on the train.");
      expect(text).toContain("Written at the office.");
    });
  }
  expect(await editorText(docContent(alice.page))).toBe(await editorText(docContent(bob.page)));
});

import { expect, test } from "vitest";
import { docContent, eventually, focusEnd, openCanvas, shareCanvas, signUpPerson, signUpThroughUi, textOf, editorText, textsOf, screenshotsOnFailure, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("two editors of a document see each other's text, caret and presence", async () => {
  const alice = await signUpThroughUi(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);

  await openCanvas(alice, canvasId);
  screenshotsOnFailure("doc-canvas-live", [alice, bob]);
  await openCanvas(bob, canvasId);

  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type("Hello from Alice.");
  await eventually(() => editorText(docContent(bob.page)), (text) => expect(text).toContain("Hello from Alice."));

  await focusEnd(bob.page, docContent(bob.page));
  await bob.page.keyboard.press("Enter");
  await bob.page.keyboard.type("Bob answers.");
  await eventually(() => editorText(docContent(alice.page)), (text) => expect(text).toContain("Bob answers."));

  // Each sees the other's caret, labelled with their name.
  await eventually(() => textsOf(alice.page.locator(".collaboration-carets__label")), (labels) => expect(labels).toContain("Bob"));
  await eventually(() => textsOf(bob.page.locator(".collaboration-carets__label")), (labels) => expect(labels).toContain("Alice"));

  // And each other in the presence bar.
  await eventually(() => textOf(alice.page.getByTestId("presence-bar")), (text) => expect(text).toMatch(/Alice \(you\)[\s\S]*Bob/));
  await eventually(() => textOf(bob.page.getByTestId("presence-bar")), (text) => expect(text).toMatch(/Bob \(you\)[\s\S]*Alice/));

  // Both end with the same document.
  const [aliceText, bobText] = [await editorText(docContent(alice.page)), await editorText(docContent(bob.page))];
  expect(aliceText).toBe(bobText);
});

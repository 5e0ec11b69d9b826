import { expect, test } from "vitest";
import { docContent, eventually, focusEnd, openCanvas, shareCanvas, signUpPerson, textOf, editorText, screenshotsOnFailure, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("a viewer sees edits live but cannot change the document", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const carol = await signUpPerson(running.browser, running.server.url, "Carol");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: carol, role: "viewer" }]);

  await openCanvas(alice, canvasId);
  screenshotsOnFailure("viewer-read-only", [alice, carol]);
  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type("Written before Carol came.");

  await openCanvas(carol, canvasId);
  await eventually(() => editorText(docContent(carol.page)), (text) => expect(text).toContain("Written before Carol came."));
  expect(await carol.page.getByTestId("view-only-badge").isVisible()).toBe(true);
  expect(await carol.page.getByTestId("rich-text-toolbar").count()).toBe(0);
  expect(await carol.page.getByTestId("share-button").count()).toBe(0);
  expect(await docContent(carol.page).getAttribute("contenteditable")).toBe("false");

  // Live: Alice keeps writing and Carol sees it.
  await alice.page.keyboard.type(" And more, live.");
  await eventually(() => editorText(docContent(carol.page)), (text) => expect(text).toContain("And more, live."));

  // Carol tries to type: nothing changes, for her or for Alice.
  await focusEnd(carol.page, docContent(carol.page));
  await carol.page.keyboard.type("VIEWER WAS HERE");
  await carol.page.keyboard.press("Enter");
  expect(await editorText(docContent(carol.page))).not.toContain("VIEWER");
  await alice.page.keyboard.type(" Last line.");
  await eventually(() => editorText(docContent(carol.page)), (text) => expect(text).toContain("Last line."));
  expect(await editorText(docContent(alice.page))).not.toContain("VIEWER");
  expect(await editorText(docContent(carol.page))).toBe(await editorText(docContent(alice.page)));
});

import { expect, test } from "vitest";
import { docContent, editorText, eventually, focusEnd, openCanvas, screenshotsOnFailure, shareCanvas, signUpPerson, textOf, textsOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("comparing versions reads like the document: headings as headings, a changed word marked inside its sentence, full width, and a preview of one version", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const { canvasId } = await shareCanvas(alice, "doc", []);
  screenshotsOnFailure("versions-compare", [alice]);
  await openCanvas(alice, canvasId);
  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type("# Launch");
  await alice.page.keyboard.press("Enter");
  await alice.page.keyboard.type("The cat sat on the mat.");
  await eventually(() => editorText(docContent(alice.page)), (text) => expect(text.trim()).toBe("Launch\nThe cat sat on the mat."));

  await alice.page.getByTestId("versions-button").click();
  await alice.page.getByTestId("version-name").fill("First draft");
  await alice.page.getByTestId("save-version").click();
  await eventually(() => textsOf(alice.page.getByTestId("version-name-text")), (names) => expect(names).toContain("First draft"));

  // One word changes.
  await docContent(alice.page).getByText("The cat sat on the mat.").dblclick({ position: { x: 40, y: 8 } });
  await alice.page.keyboard.type("dog");
  await eventually(() => editorText(docContent(alice.page)), (text) => expect(text.trim()).toBe("Launch\nThe dog sat on the mat."));

  const draft = alice.page.getByTestId("version-row").filter({ hasText: "First draft" });
  await draft.getByTestId("version-select").check();
  await alice.page.getByTestId("version-select-current").check();
  await alice.page.getByTestId("compare-versions").click();
  const diff = alice.page.getByTestId("versions-panel").getByTestId("diff-view");
  await eventually(() => textsOf(diff.getByTestId("diff-word-remove")), (words) => expect(words).toEqual(["cat"]));
  expect(await textsOf(diff.getByTestId("diff-word-add"))).toEqual(["dog"]);
  expect(await textOf(diff.getByTestId("diff-line-change"))).toBe("The catdog sat on the mat.");
  expect(await diff.locator("h2").innerText()).toBe("Launch");

  // The same comparison, full width.
  await alice.page.getByTestId("compare-full-width").click();
  const dialog = alice.page.getByTestId("compare-dialog");
  expect(await textsOf(dialog.getByTestId("diff-word-add"))).toEqual(["dog"]);
  const width = await dialog.evaluate((element) => element.getBoundingClientRect().width);
  expect(width).toBeGreaterThan(900);
  await dialog.getByTestId("dialog-close").click();

  // A single version, as it was.
  await draft.getByTestId("preview-version").click();
  const preview = alice.page.getByTestId("preview-dialog");
  await eventually(() => textOf(preview.getByTestId("version-preview")), (text) => expect(text).toContain("The cat sat on the mat."));
  expect(await preview.getByTestId("version-preview").locator("h2").innerText()).toBe("Launch");
});

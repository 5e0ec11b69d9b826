import { expect, test } from "vitest";
import { docContent, editorText, eventually, focusEnd, openCanvas, shareCanvas, signUpPerson, textOf, textsOf, screenshotsOnFailure, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("restoring a named version brings its text back for everyone", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);
  await openCanvas(alice, canvasId);
  screenshotsOnFailure("restore-version", [alice, bob]);
  await openCanvas(bob, canvasId);

  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type("The agreed plan.");
  // Once Bob sees it, the server has it too.
  await eventually(() => editorText(docContent(bob.page)), (text) => expect(text).toBe("The agreed plan."));

  await alice.page.getByTestId("versions-button").click();
  await alice.page.getByTestId("version-name").fill("Agreed");
  await alice.page.getByTestId("save-version").click();
  await eventually(() => textsOf(alice.page.getByTestId("version-name-text")), (names) => expect(names).toContain("Agreed"));

  // Both keep editing.
  await focusEnd(alice.page, docContent(alice.page));
  await alice.page.keyboard.type(" Alice's change.");
  await focusEnd(bob.page, docContent(bob.page));
  await bob.page.keyboard.press("Enter");
  await bob.page.keyboard.type("Bob's change.");
  for (const person of [alice, bob]) {
    await eventually(() => editorText(docContent(person.page)), (text) => {
      expect(text).toContain("Alice's change.");
      expect(text).toContain("Bob's change.");
    });
  }

  // Comparing the version with the current content shows what changed, in colour.
  const agreedRow = alice.page.getByTestId("version-row").filter({ hasText: "Agreed" });
  await agreedRow.getByTestId("version-select").check();
  await alice.page.getByTestId("version-select-current").check();
  await alice.page.getByTestId("compare-versions").click();
  await eventually(() => textsOf(alice.page.getByTestId("diff-line-add")), (lines) => expect(lines.join("\n")).toContain("Bob's change."));
  // Alice's words are marked inside the paragraph she added them to; the paragraph itself stays.
  expect((await textsOf(alice.page.getByTestId("diff-word-add"))).join("")).toContain("Alice's change.");
  expect(await textOf(alice.page.getByTestId("diff-line-change"))).toContain("The agreed plan.");
  expect(await alice.page.getByTestId("diff-line-remove").count()).toBe(0);

  await agreedRow.getByTestId("restore-version").click();
  for (const person of [alice, bob]) {
    await eventually(() => editorText(docContent(person.page)), (text) => expect(text).toBe("The agreed plan."));
  }
  // The restore is itself in the history.
  await eventually(() => textOf(alice.page.getByTestId("version-list")), (text) => expect(text).toContain("Restored Agreed"));
});

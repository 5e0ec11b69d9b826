import { expect, test } from "vitest";
import { codeContent, eventually, focusEnd, openCanvas, shareCanvas, signUpPerson, textOf, editorText, textsOf, screenshotsOnFailure, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("two editors of a code file see each other's text, named cursor and presence", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "code", [{ person: bob, role: "editor" }], {
    files: [{ path: "main.py", language: "python", content: "def main():\n    print('hi')\n" }],
  });
  screenshotsOnFailure("code-canvas-live", [alice, bob]);

  await openCanvas(alice, canvasId);
  await openCanvas(bob, canvasId);
  for (const person of [alice, bob]) {
    await eventually(() => textOf(person.page.getByTestId("current-file")), (path) => expect(path).toBe("main.py"));
  }

  await focusEnd(alice.page, codeContent(alice.page));
  await alice.page.keyboard.type("# alice was here");
  await eventually(() => editorText(codeContent(bob.page)), (text) => expect(text).toContain("# alice was here"));

  await focusEnd(bob.page, codeContent(bob.page));
  await bob.page.keyboard.press("Enter");
  await bob.page.keyboard.type("# bob too");
  await eventually(() => editorText(codeContent(alice.page)), (text) => expect(text).toContain("# bob too"));

  // Remote cursors carry the other person's name.
  await eventually(() => textsOf(alice.page.locator(".cm-ySelectionInfo")), (labels) => expect(labels).toContain("Bob"));
  await eventually(() => textsOf(bob.page.locator(".cm-ySelectionInfo")), (labels) => expect(labels).toContain("Alice"));

  await eventually(() => textOf(alice.page.getByTestId("presence-bar")), (text) => expect(text).toContain("Bob"));
  await eventually(() => textOf(bob.page.getByTestId("presence-bar")), (text) => expect(text).toContain("Alice"));

  // The file list is shared too: a file Bob adds shows up for Alice.
  await bob.page.getByTestId("new-file-path").fill("notes.md");
  await bob.page.getByTestId("add-file").click();
  await eventually(() => textsOf(alice.page.getByTestId("file-button")), (paths) => expect(paths).toEqual(["main.py", "notes.md"]));

  expect(await editorText(codeContent(alice.page))).toContain("def main():");

  // Undo takes back only Alice's own typing, never Bob's (who went back to main.py).
  await bob.page.getByTestId("file-button").filter({ hasText: "main.py" }).click();
  await codeContent(alice.page).click();
  for (let presses = 0; presses < 5 && (await editorText(codeContent(alice.page))).includes("alice was here"); presses++) {
    await alice.page.keyboard.press("Control+z");
  }
  for (const person of [alice, bob]) {
    await eventually(() => editorText(codeContent(person.page)), (text) => {
      expect(text).not.toContain("alice was here");
      expect(text).toContain("# bob too");
    });
  }
});

import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { aliceAndBobOnADoc, docContent, editorText, eventually, selectBeforeEnd, textOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("the owner comments on a selection; a commenter sees the thread and the highlight live, replies, rewords and deletes his own comments from a read-only editor; the owner resolves it", async () => {
  const { alice, bob } = await aliceAndBobOnADoc(running, "comments", "commenter", "Say hello brave new world today.");

  // Alice selects "brave new world" and comments on it, mentioning Bob.
  await selectBeforeEnd(alice.page, docContent(alice.page), "brave new world", " today.");
  await alice.page.getByTestId("comments-button").click();
  await alice.page.getByTestId("comment-text-input").fill("Too grand? @Bob");
  await alice.page.getByTestId("comment-submit").click();
  const aliceThread = alice.page.getByTestId("comment-thread");
  await eventually(() => textOf(aliceThread), (text) => expect(text).toContain("Too grand? @Bob"));
  expect(await aliceThread.getByTestId("comment-mention").innerText()).toBe("@Bob");

  // Bob sees the commented text underlined at once; clicking it opens the thread.
  const bobHighlight = bob.page.getByTestId("comment-highlight");
  await eventually(() => textOf(bobHighlight), (text) => expect(text).toBe("brave new world"));
  await bobHighlight.first().click();
  const bobThread = bob.page.getByTestId("comment-thread");
  await eventually(() => textOf(bobThread), (text) => expect(text).toContain("Too grand?"));
  expect(await bobThread.getAttribute("data-status")).toBe("open");
  expect(await bobThread.locator(".comment-quote").innerText()).toBe("brave new world");
  expect(await bob.page.getByTestId("rich-text-editor").getAttribute("data-editable")).toBe("false");
  expect(await bob.page.getByTestId("view-only-badge").innerText()).toBe("Can comment");

  // Bob replies; Alice sees the reply live.
  await bobThread.getByTestId("comment-reply-input").fill("Maybe just 'the world'.");
  await bobThread.getByTestId("comment-reply-submit").click();
  await eventually(() => aliceThread.getByTestId("comment-message").allInnerTexts(), (messages) => {
    expect(messages).toHaveLength(2);
    expect(messages[1]).toContain("Bob");
    expect(messages[1]).toContain("Maybe just 'the world'.");
  });

  // Bob rewords his reply; Alice sees the new words, marked edited. Only Bob's own message offers Edit.
  expect(await bobThread.getByRole("button", { name: "Edit comment by Alice" }).count()).toBe(0);
  await bobThread.getByRole("button", { name: "Edit comment by Bob" }).click();
  await bobThread.getByLabel("Change comment").fill("Maybe just 'the world', or 'all of it'.");
  await bobThread.getByRole("button", { name: "Save" }).click();
  await eventually(() => aliceThread.getByTestId("comment-message").allInnerTexts(), (messages) => {
    expect(messages[1]).toContain("Maybe just 'the world', or 'all of it'.");
    expect(messages[1]).toContain("edited");
  });

  // Bob can comment on text he selects himself, though his editor is read-only.
  await doubleClickWord(bob.page, "today");
  await bob.page.getByTestId("comment-text-input").fill("Which day?");
  await bob.page.getByTestId("comment-submit").click();
  await eventually(() => alice.page.getByTestId("comment-thread").count(), (count) => expect(count).toBe(2));
  await eventually(() => alice.page.getByTestId("comment-highlight").allInnerTexts(), (texts) => expect(texts.join("|")).toContain("today"));
  expect(await editorText(docContent(alice.page))).toBe("Say hello brave new world today.");

  // Bob deletes that comment again; as the only one of its thread, it takes the thread and its highlight.
  const which = bob.page.locator("[data-testid=comment-thread]", { hasText: "Which day?" });
  await which.getByRole("button", { name: "Delete comment by Bob" }).click();
  await eventually(() => alice.page.getByTestId("comment-thread").count(), (count) => expect(count).toBe(1));
  await eventually(() => alice.page.getByTestId("comment-highlight").allInnerTexts(), (texts) => expect(texts.join("|")).not.toContain("today"));

  // Alice resolves the first thread: it leaves the open list and its highlight goes, for both.
  const first = alice.page.locator('[data-testid=comment-thread]', { hasText: "Too grand?" });
  await first.getByTestId("comment-resolve").click();
  for (const person of [alice, bob]) {
    await eventually(() => person.page.getByTestId("comment-thread").count(), (count) => expect(count).toBe(0));
    await eventually(() => person.page.getByTestId("comment-highlight").allInnerTexts(), (texts) => expect(texts.join("")).not.toContain("brave"));
    await person.page.getByTestId("comment-filter-resolved").click();
    const resolved = person.page.getByTestId("comment-thread");
    await eventually(() => resolved.getAttribute("data-status"), (status) => expect(status).toBe("resolved"));
    expect(await resolved.getByTestId("comment-resolved-by").innerText()).toContain("Resolved by Alice");
    expect(await resolved.getByTestId("comment-reopen").count()).toBe(1);
  }
});

/** Double-clicks a word of the document, as a person selects it with the mouse. */
async function doubleClickWord(page: Page, wanted: string): Promise<void> {
  const point = await docContent(page).evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent!.indexOf(wanted);
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + wanted.length);
      const box = range.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }
    return null;
  }, wanted);
  if (!point) throw new Error(`"${wanted}" is not in the document`);
  // Like a person, look until the word shows as selected (double-clicking again if not).
  await eventually(
    async () => {
      const selected = await page.evaluate(() => document.getSelection()?.toString().trim() ?? "");
      if (selected !== wanted) await page.mouse.dblclick(point.x, point.y);
      return selected;
    },
    (selected) => expect(selected).toBe(wanted),
  );
}

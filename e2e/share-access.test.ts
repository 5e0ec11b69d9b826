import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { eventually, screenshotsOnFailure, shareCanvas, signUpPerson, textOf, textsOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();
const shots = path.resolve(import.meta.dirname, "..", ".test-results", "e2e");

/** Elements of `scope` that stick out of the viewport sideways, and header items that overlap each other. */
async function layoutProblems(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((scopeSelector) => {
    const problems: string[] = [];
    const visible = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0 && getComputedStyle(element).visibility !== "hidden";
    };
    const label = (element: Element) => `${element.tagName.toLowerCase()}${element.getAttribute("data-testid") ? `[${element.getAttribute("data-testid")}]` : ""} "${(element.textContent ?? "").trim().slice(0, 30)}"`;
    for (const element of document.querySelectorAll(`${scopeSelector} *`)) {
      if (!visible(element)) continue;
      const rect = element.getBoundingClientRect();
      if (rect.left < -1 || rect.right > window.innerWidth + 1) problems.push(`outside the viewport: ${label(element)} (${Math.round(rect.left)}..${Math.round(rect.right)} of ${window.innerWidth})`);
    }
    const headerItems = [...document.querySelectorAll(".app-header a, .app-header button, .app-header input, .app-header span")].filter(visible);
    for (let first = 0; first < headerItems.length; first++) {
      for (let second = first + 1; second < headerItems.length; second++) {
        const a = headerItems[first]!;
        const b = headerItems[second]!;
        if (a.contains(b) || b.contains(a)) continue;
        const r = a.getBoundingClientRect();
        const s = b.getBoundingClientRect();
        if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) problems.push(`header items overlap: ${label(a)} and ${label(b)}`);
      }
    }
    return problems;
  }, scope);
}

for (const width of [1280, 390]) {
  test(`at ${width}px the share dialog lists who has access, and revoking a link shuts out the person who joined through it`, async () => {
    const alice = await signUpPerson(running.browser, running.server.url, "Alice");
    const bob = await signUpPerson(running.browser, running.server.url, "Bob");
    const carol = await signUpPerson(running.browser, running.server.url, "Carol");
    await alice.page.setViewportSize({ width, height: 860 });
    await bob.page.setViewportSize({ width, height: 860 });
    screenshotsOnFailure(`share-access-${width}`, [alice, bob]);
    const { canvasId } = await shareCanvas(alice, "doc", [{ person: carol, role: "viewer" }]);
    const link = await alice.api<{ id: string; token: string }>("POST", `/api/canvases/${canvasId}/shares`, { role: "editor" });
    await bob.api("POST", `/api/shares/${link.token}/accept`);
    await bob.page.goto(`/c/${canvasId}`);
    await eventually(() => bob.page.getByTestId("canvas-title").count(), (count) => expect(count).toBe(1));
    // Bob has no workspace to open: the breadcrumb takes him to "Shared with me", not to an error.
    await eventually(() => textOf(bob.page.getByTestId("breadcrumb-workspace")), (text) => expect(text).toBe("Shared with me"));
    expect(await layoutProblems(bob.page, ".app-header")).toEqual([]);

    await alice.page.goto(`/c/${canvasId}`);
    await eventually(() => textOf(alice.page.getByTestId("breadcrumb-workspace")), (text) => expect(text).toBe("Alice's team"));
    expect(await layoutProblems(alice.page, ".app-header")).toEqual([]);
    await alice.page.getByTestId("share-button").click();
    await eventually(() => textsOf(alice.page.getByTestId("access-grant")), (rows) => expect(rows).toEqual([expect.stringMatching(new RegExp(`Bob.*${bob.email.replace(/[.]/g, "\\.")}.*through a link.*editor`, "is"))]));
    await eventually(() => textsOf(alice.page.getByTestId("access-member")), (rows) => expect(rows.map((row) => row.replace(/\s+/g, " ")).sort()).toEqual([expect.stringMatching(/^Alice .* owner$/i), expect.stringMatching(/^Carol .* viewer$/i)]));
    expect(await textOf(alice.page.getByTestId("share-row"))).toMatch(/editor link.*1 person joined/is);

    fs.mkdirSync(shots, { recursive: true });
    await alice.page.screenshot({ path: path.join(shots, `share-access-${width}.png`) });
    expect(await layoutProblems(alice.page, "[data-testid=share-dialog]")).toEqual([]);

    // Revoking the link removes Bob: the list empties, and the canvas is gone for him.
    await alice.page.getByTestId("revoke-share").click();
    await eventually(() => alice.page.getByTestId("access-grant").count(), (count) => expect(count).toBe(0));
    await bob.page.reload();
    await eventually(() => textOf(bob.page.getByTestId("error-message")), (message) => expect(message).toMatch(/no such canvas/i));
    expect(await bob.page.getByTestId("canvas-title").count()).toBe(0);
  });
}

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { eventually, openCanvas, screenshotsOnFailure, signUpPerson, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();
const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", ".test-results", "e2e");

const workspaceName = "The Harbour Lights Community Archive and Oral History Collective of the Northern Coast";
const canvasTitle = "Harbour Lights: the complete minutes of every meeting between the ferry company and the town council";

interface LayoutProblem {
  element: string;
  problem: string;
}

/**
 * What is wrong with the page's layout right now: a visible element that reaches past
 * the right or left edge of the window (or, inside a box that scrolls or clips, past
 * that box), and header items that sit on top of each other.
 */
function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const problems: { element: string; problem: string }[] = [];
    const describe = (element: Element) => {
      const testId = element.getAttribute("data-testid");
      const className = typeof element.className === "string" && element.className ? `.${element.className.trim().split(/\s+/).join(".")}` : "";
      return `${element.tagName.toLowerCase()}${testId ? `[data-testid=${testId}]` : ""}${className} “${(element.textContent ?? "").trim().slice(0, 40)}”`;
    };
    const visible = (element: Element) => {
      const rect = element.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) return false;
      const style = getComputedStyle(element);
      return style.visibility !== "hidden" && style.display !== "none";
    };
    // The box an element has to stay inside: the window, or its nearest ancestor that clips
    // sideways (what sticks out of that is lost). Inside an ancestor that scrolls sideways it
    // may be as wide as it likes: scrolling reaches it (that box itself is checked).
    const boxOf = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow === "auto" || overflow === "scroll") return null;
        if (overflow !== "visible") {
          const rect = parent.getBoundingClientRect();
          return { left: rect.left, right: rect.right };
        }
      }
      return { left: 0, right: window.innerWidth };
    };
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      problems.push({ element: "document", problem: `is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window` });
    }
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      if (!visible(element)) continue;
      const rect = element.getBoundingClientRect();
      const box = boxOf(element);
      if (box && (rect.right > box.right + 1 || rect.left < box.left - 1)) {
        problems.push({ element: describe(element), problem: `spans ${Math.round(rect.left)}–${Math.round(rect.right)}px outside its box ${Math.round(box.left)}–${Math.round(box.right)}px` });
      }
    }
    for (const container of Array.from(document.querySelectorAll(".app-header, .app-header-account, .canvas-heading, .canvas-bar, .workspace-heading, .tabs"))) {
      const items = Array.from(container.children).filter(visible);
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i]!.getBoundingClientRect();
          const b = items[j]!.getBoundingClientRect();
          const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (overlapX > 1 && overlapY > 1) problems.push({ element: `${describe(items[i]!)} and ${describe(items[j]!)}`, problem: "overlap" });
        }
      }
    }
    return problems;
  });
}

async function checkLayout(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `layouts-${name}.png`) });
  expect(await layoutProblems(page), `layout of ${name}`).toEqual([]);
}

test("at 1280 and 390 px wide, the workspace, canvas and settings pages keep every element inside the window, header items apart, long names truncated and the tab titled", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  screenshotsOnFailure("layouts", [alice]);
  const workspace = await alice.api<{ id: string }>("POST", "/api/workspaces", { name: workspaceName });
  const canvas = await alice.api<{ id: string }>("POST", `/api/workspaces/${workspace.id}/canvases`, { title: canvasTitle, kind: "doc" });
  const longLine = `export const harbourLights = [${Array.from({ length: 30 }, (_, index) => `"light ${index + 1}"`).join(", ")}];\n`;
  const code = await alice.api<{ id: string }>("POST", `/api/workspaces/${workspace.id}/import`, { kind: "code", title: "Harbour code", files: [{ path: "src/harbour-lights-with-a-rather-long-file-name.ts", language: "typescript", content: longLine }] });
  const page = alice.page;

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 860 });

    await page.goto(`/w/${workspace.id}`);
    await eventually(() => page.getByTestId("canvas-link").count(), (count) => expect(count).toBe(2));
    await eventually(() => page.title(), (title) => expect(title).toBe(`${workspaceName} — Cocanvas`));
    // The long names are cut short on screen, and the whole of them is one hover away.
    expect(await page.getByTestId("workspace-name").getAttribute("title")).toBe(workspaceName);
    expect(await page.getByTestId("canvas-link").filter({ hasText: "Harbour Lights:" }).getAttribute("title")).toBe(canvasTitle);
    expect(await page.getByTestId("workspace-link").first().getAttribute("title")).toBe(workspaceName);
    await checkLayout(page, `workspace-${width}`);

    await page.getByTestId("tab-data").click();
    if (width === 1280) {
      // A table wider than any phone: it scrolls inside its own box.
      const header = Array.from({ length: 14 }, (_, index) => `measurement_column_${index + 1}`).join(",");
      const row = Array.from({ length: 14 }, (_, index) => `value number ${index + 1} of the row`).join(",");
      await page.getByTestId("data-upload-input").setInputFiles({ name: "Harbour readings.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${row}\n${row}\n`) });
    } else {
      await page.getByRole("button", { name: "harbour_readings" }).click();
    }
    await eventually(() => page.getByTestId("data-preview").locator("tbody tr").count(), (count) => expect(count).toBe(2));
    await checkLayout(page, `workspace-data-${width}`);

    await page.getByTestId("tab-tasks").click();
    await page.getByTestId("new-task").click();
    await page.getByTestId("task-name").waitFor();
    await checkLayout(page, `workspace-tasks-${width}`);

    await openCanvas(alice, canvas.id);
    await eventually(() => page.title(), (title) => expect(title).toBe(`${canvasTitle} — Cocanvas`));
    expect(await page.getByTestId("canvas-title").getAttribute("title")).toBe(canvasTitle);
    await checkLayout(page, `canvas-${width}`);
    await page.getByTestId("ai-button").click();
    await page.getByTestId("ai-panel").waitFor();
    await checkLayout(page, `canvas-ai-${width}`);

    // A code canvas: a line longer than the window scrolls inside the editor.
    await openCanvas(alice, code.id);
    await page.locator("[data-testid=code-editor] .cm-content").waitFor();
    await checkLayout(page, `code-canvas-${width}`);

    await page.goto("/settings");
    await page.getByTestId("settings-link").waitFor();
    await eventually(() => page.title(), (title) => expect(title).toBe("Settings — Cocanvas"));
    await checkLayout(page, `settings-${width}`);
  }

  // The tab's icon is the app's own mark, served from the address the page names.
  const iconHref = await page.locator("link[rel=icon]").getAttribute("href");
  expect(iconHref).toBe("/favicon.svg");
  const icon = await page.goto(iconHref!);
  expect(icon?.status()).toBe(200);
  expect(icon?.headers()["content-type"]).toContain("image/svg+xml");
  expect(await icon?.text()).toContain("<svg");
  await page.setViewportSize({ width: 128, height: 128 });
  await page.screenshot({ path: path.join(screenshots, "layouts-favicon.png") });
}, 120_000);

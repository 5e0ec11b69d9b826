import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { eventually, password, screenshotsOnFailure, signUpPerson, textOf, textsOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

/** Elements of the page that stick out of the viewport sideways. */
const outsideViewport = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("main *")]
      .filter((element) => {
        const rect = element.getBoundingClientRect();
        return rect.width > 0 && (rect.left < -1 || rect.right > window.innerWidth + 1);
      })
      .map((element) => `${element.tagName} ${(element.textContent ?? "").slice(0, 30)}`),
  );

for (const width of [1280, 390]) {
  test(`at ${width}px an owner invites someone without an account, who signs up through the link into the workspace`, async () => {
    const owner = await signUpPerson(running.browser, running.server.url, "Olga");
    await owner.page.setViewportSize({ width, height: 860 });
    const workspace = await owner.api<{ id: string }>("POST", "/api/workspaces", { name: "Studio" });
    const visitor = await running.browser.newContext({ baseURL: running.server.url, viewport: { width, height: 860 } });
    const page = await visitor.newPage();
    screenshotsOnFailure(`invitation-${width}`, [owner, { ...owner, name: "Newcomer", page }]);

    await owner.page.goto(`/w/${workspace.id}`);
    await owner.page.getByTestId("tab-members").click();
    await owner.page.getByTestId("invite-role").selectOption("commenter");
    await owner.page.getByTestId("create-invite").click();
    const url = await eventually(() => owner.page.getByTestId("invite-url").inputValue().catch(() => ""), (value) => expect(value).toContain("/invite/"));
    expect(await owner.page.getByTestId("invite-row").getAttribute("data-status")).toBe("open");

    const email = `newcomer-${width}@example.test`;
    await page.goto(new URL(url).pathname);
    await eventually(() => textOf(page.getByTestId("invitation-form")), (text) => expect(text).toMatch(/Join Studio.*Olga invited you as commenter/s));
    expect(await outsideViewport(page)).toEqual([]);
    await page.getByTestId("name-input").fill("Newcomer");
    await page.getByTestId("email-input").fill(email);
    await page.getByTestId("password-input").fill(password);
    await page.getByTestId("invitation-accept").click();
    await page.waitForURL(new RegExp(`/w/${workspace.id}$`));
    await eventually(() => textOf(page.getByTestId("current-user")), (name) => expect(name).toBe("Newcomer"));

    await owner.page.reload();
    await owner.page.getByTestId("tab-members").click();
    await eventually(() => textsOf(owner.page.getByTestId("member-row")), (rows) => expect(rows.join("\n")).toContain(email));
    await eventually(() => owner.page.getByTestId("invite-row").getAttribute("data-status"), (status) => expect(status).toBe("accepted"));
    await visitor.close();
  });
}

import { expect, test } from "vitest";
import { eventually, password, screenshotsOnFailure, shareCanvas, signUpPerson, textOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("a signed-out person opening a share link logs in and lands on the canvas", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const dave = await signUpPerson(running.browser, running.server.url, "Dave");
  const { canvasId } = await shareCanvas(alice, "doc", []);
  screenshotsOnFailure("share-link", [alice, dave]);

  // Alice makes a viewer link in the share dialog.
  await alice.page.goto(`/c/${canvasId}`);
  await alice.page.getByTestId("share-button").click();
  await alice.page.getByTestId("share-role").selectOption("viewer");
  await alice.page.getByTestId("create-share").click();
  const link = await eventually(() => alice.page.getByTestId("share-url").first().inputValue().catch(() => ""), (url) => expect(url).toContain("/s/"));

  await dave.page.goto("/");
  await dave.page.getByTestId("logout-button").click();
  await dave.page.waitForURL(/\/login$/);
  // Signed out, Dave sees what was shared with him before signing in.
  await dave.page.goto(new URL(link).pathname);
  await eventually(() => textOf(dave.page.getByTestId("share-preview")), (text) => expect(text).toMatch(/Alice shared this doc from the workspace .* you can view it/));
  await dave.page.getByTestId("share-preview-login").click();
  await dave.page.waitForURL(/\/login\?next=/);

  await dave.page.getByTestId("email-input").fill(dave.email);
  await dave.page.getByTestId("password-input").fill("not the password");
  await dave.page.getByTestId("login-submit").click();
  await eventually(() => textOf(dave.page.getByTestId("error-message")), (message) => expect(message).toMatch(/wrong email or password/i));

  await dave.page.getByTestId("password-input").fill(password);
  await dave.page.getByTestId("login-submit").click();
  await dave.page.waitForURL(new RegExp(`/c/${canvasId}$`));
  await eventually(() => textOf(dave.page.getByTestId("view-only-badge")), (badge) => expect(badge).toBe("View only"));

  await dave.page.getByTestId("home-link").click();
  await eventually(() => textOf(dave.page.getByTestId("shared-list")), (text) => expect(text).toContain("Shared notes"));
});

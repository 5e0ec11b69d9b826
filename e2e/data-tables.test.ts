import { expect, test } from "vitest";
import { eventually, screenshotsOnFailure, shareCanvas, signUpPerson, textsOf, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

test("Alice uploads a CSV in the Data tab; Bob, a viewer, sees the table and pages through its rows", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { workspaceId } = await shareCanvas(alice, "doc", [{ person: bob, role: "viewer" }]);
  screenshotsOnFailure("data-tables", [alice, bob]);
  const rows = Array.from({ length: 120 }, (_, index) => `city ${index + 1},${(index + 1) * 1000}`);
  const csv = Buffer.from(`city,people\n${rows.join("\n")}\n`);

  await alice.page.goto(`/w/${workspaceId}`);
  await alice.page.getByTestId("tab-data").click();
  await alice.page.getByTestId("data-upload-input").setInputFiles({ name: "Cities 2026.csv", mimeType: "text/csv", buffer: csv });
  await eventually(() => textsOf(alice.page.getByTestId("data-table")), (tables) => expect(tables.join()).toContain("cities_2026"));
  expect(await alice.page.getByTestId("data-table-summary").first().innerText()).toContain("120 rows · 2 columns · Cities 2026.csv");
  await eventually(() => alice.page.getByTestId("data-preview").locator("tbody tr").count(), (count) => expect(count).toBe(50));

  await bob.page.goto(`/w/${workspaceId}`);
  await bob.page.getByTestId("tab-data").click();
  expect(await bob.page.getByTestId("data-upload-input").count()).toBe(0);
  await bob.page.getByRole("button", { name: "cities_2026" }).click();
  const preview = bob.page.getByTestId("data-preview");
  await eventually(() => preview.locator("tbody tr").first().innerText(), (text) => expect(text).toContain("city 1"));
  await preview.getByRole("button", { name: "Next" }).click();
  await eventually(() => preview.locator("tbody tr").first().innerText(), (text) => expect(text).toContain("city 51"));
  expect(await preview.innerText()).toContain("Rows 51–100 of 120");
});

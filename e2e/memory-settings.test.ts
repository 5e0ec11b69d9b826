import { expect, test } from "vitest";
import { scriptedModels } from "../tests/fixtures/scripted-model.ts";
import { eventually, screenshotsOnFailure, shareCanvas, signUpPerson, useServerAndBrowser } from "./helpers.ts";

// Co-editing runs answer in words; a reflection (JSON asked for) remembers two things.
const models = scriptedModels();
models.use((call) =>
  call.responseFormat?.type === "json" ? [{ text: '{"style":["Prefers short sentences."],"facts":["Writes release notes."]}' }] : [{ text: "Nothing to change." }],
);
const running = useServerAndBrowser({ models });

test("Settings → Memory: reflect now, then edit and delete what is remembered", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const { canvasId } = await shareCanvas(alice, "doc", []);
  screenshotsOnFailure("memory-settings", [alice]);
  await alice.api("POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Tighten the release notes" });

  const page = alice.page;
  await page.goto("/settings");
  const section = page.getByTestId("memory-settings");
  await eventually(() => section.getByTestId("memory-reflected-at").innerText(), (text) => expect(text).toBe("No reflection yet."));
  // The request may still be streaming into the canvas; reflect once it is recorded.
  await eventually(async () => (await alice.api<{ items: { status: string }[] }>("GET", `/api/canvases/${canvasId}/ai/runs`)).items[0]?.status, (status) => expect(status).toBe("done"));
  await section.getByTestId("memory-reflect").click();
  await eventually(() => section.getByTestId("memory-note").innerText(), (text) => expect(text).toBe("Learnt 2 new things."));
  await eventually(() => section.getByTestId("memory-text").allInnerTexts(), (texts) => expect(texts).toEqual(["Prefers short sentences.", "Writes release notes."]));

  await section.getByTestId("memory-edit").first().click();
  await section.getByTestId("memory-edit-text").fill("Prefers very short sentences.");
  await section.getByTestId("memory-save").click();
  await eventually(() => section.getByTestId("memory-text").allInnerTexts(), (texts) => expect(texts).toEqual(["Prefers very short sentences.", "Writes release notes."]));

  await section.getByTestId("memory-delete").last().click();
  await eventually(() => section.getByTestId("memory-text").allInnerTexts(), (texts) => expect(texts).toEqual(["Prefers very short sentences."]));
  const stored = await alice.api<{ items: { text: string }[] }>("GET", `/api/workspaces/${(await alice.api<{ items: { id: string }[] }>("GET", "/api/workspaces")).items[0]!.id}/memory`);
  expect(stored.items.map((entry) => entry.text)).toEqual(["Prefers very short sentences."]);

  // Nothing new since: the model is not asked again.
  const calls = models.model.calls.length;
  await section.getByTestId("memory-reflect").click();
  await eventually(() => section.getByTestId("memory-note").innerText(), (text) => expect(text).toBe("Nothing new since the last reflection."));
  expect(models.model.calls.length).toBe(calls);
});

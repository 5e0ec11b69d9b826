import { expect, test } from "vitest";
import { scriptedModels, selectedText } from "../tests/fixtures/scripted-model.ts";
import { aliceAndBobOnADoc, docContent, editorText, eventually, recordSightings, selectBeforeEnd, useServerAndBrowser } from "./helpers.ts";

// A scripted model (a test fixture, never a default) that upper-cases the selection,
// slowly enough for the stream to be watched.
const models = scriptedModels({ tokensPerSecond: 25, charsPerToken: 1 });
models.use((call, step) => {
  const selection = selectedText(call);
  if (step > 0 || !selection) return [{ text: "Done." }];
  return [{ tool: "replace", input: { find: selection, replace: selection.toUpperCase() } }, { text: "Made it louder." }];
});
const running = useServerAndBrowser({ models });

test("a quick action on a selection streams in as a suggestion both people watch; accepting applies it and Ctrl+Z undoes it", async () => {
  const { alice, bob, canvasId } = await aliceAndBobOnADoc(running, "ai-suggestions", "editor", "Say hello brave new world today.");

  await selectBeforeEnd(alice.page, docContent(alice.page), "brave new world", " today.");
  const bobSees = await recordSightings(bob.page, "[data-testid=suggestion]");
  await alice.page.getByTestId("ai-button").click();
  await alice.page.getByTestId("quick-action-polish").click();

  // Bob watches it stream: part of the new text first (recorded as it happens), then the whole suggestion.
  const bobSuggestion = bob.page.getByTestId("suggestion");
  await eventually(() => bobSuggestion.getAttribute("data-status"), (status) => expect(status).toBe("pending"));
  expect(await bobSuggestion.innerText()).toContain("BRAVE NEW WORLD");
  const streaming = (await bobSees.seen()).filter((sighting) => sighting.data.status === "streaming");
  expect(streaming.some((sighting) => /BRAVE/.test(sighting.text))).toBe(true);
  // Nothing changed in the text until someone accepts.
  expect(await editorText(docContent(bob.page))).toContain("brave new world");
  // The reply is in the shared chat too.
  await bob.page.getByTestId("ai-button").click();
  await eventually(() => bob.page.getByTestId("ai-message").last().innerText(), (text) => expect(text).toContain("Made it louder."));

  await alice.page.getByTestId("suggestion-accept").click();
  for (const person of [alice, bob]) {
    await eventually(() => editorText(docContent(person.page)), (text) => expect(text).toBe("Say hello BRAVE NEW WORLD today."));
  }
  expect(await alice.page.getByTestId("suggestion").count()).toBe(0);

  // Accepting was one change: one Ctrl+Z brings the old text and the suggestion back, for both.
  await docContent(alice.page).click();
  await alice.page.keyboard.press("Control+z");
  for (const person of [alice, bob]) {
    await eventually(() => editorText(docContent(person.page)), (text) => expect(text).toBe("Say hello brave new world today."));
    await eventually(() => person.page.getByTestId("suggestion").getAttribute("data-status"), (status) => expect(status).toBe("pending"));
  }

  // Bob rewrites the suggestion before accepting it: his version lands, and the record says it was edited.
  await bob.page.getByTestId("suggestion-edit").click();
  await bob.page.getByTestId("suggestion-edit-text").fill("Brave New World");
  await bob.page.getByTestId("suggestion-accept-edited").click();
  for (const person of [alice, bob]) {
    await eventually(() => editorText(docContent(person.page)), (text) => expect(text).toBe("Say hello Brave New World today."));
  }
  const runs = (await alice.api<{ items: { id: string }[] }>("GET", `/api/canvases/${canvasId}/ai/runs`)).items;
  await eventually(
    async () => (await alice.api<{ feedback: { kind: string; userId: string; finalText: string | null }[] }>("GET", `/api/ai/runs/${runs[0]!.id}`)).feedback,
    (feedback) => expect(feedback.map((entry) => [entry.kind, entry.userId === bob.userId ? "bob" : "alice", entry.finalText])).toEqual([
      ["accepted", "alice", null],
      ["undone", "alice", null],
      ["edited", "bob", "Brave New World"],
    ]),
  );

  // Its provenance is one click away.
  await alice.page.getByTestId("ai-details").last().click();
  await eventually(() => alice.page.getByTestId("run-model").innerText(), (text) => expect(text).toBe("scripted:scripted-1"));
});

import { expect, test } from "vitest";
import { scriptedModels, systemText } from "../tests/fixtures/scripted-model.ts";
import { aliceAndBobOnADoc, eventually, recordSightings, textOf, useServerAndBrowser } from "./helpers.ts";

// A scripted critic (a test fixture, never a default), slow enough to be watched at work.
const models = scriptedModels({ tokensPerSecond: 12, charsPerToken: 2 });
models.use((call, step) => {
  if (step > 0 || !/You are Critic\./.test(systemText(call))) return [{ text: "One comment." }];
  return [{ tool: "comment", input: { find: "probably be moved", text: "Be decisive: say when it moves." } }];
});
const running = useServerAndBrowser({ models });

test("a critic invited to review shows its status and cursor and leaves a comment, live in two browsers; a person resolves it", async () => {
  const { alice, bob } = await aliceAndBobOnADoc(running, "agents", "editor", "The launch will probably be moved to May.");

  // What each browser shows of the critic at work is recorded as it happens: its status
  // and caret last only as long as the run, which may be over before anyone looks.
  const watching = await Promise.all([alice, bob].map(async (person) => ({
    presence: await recordSightings(person.page, "[data-testid=presence-agent]"),
    status: await recordSightings(person.page, "[data-testid=agent-status]"),
    caret: await recordSightings(person.page, "[data-testid=rich-text-content] .collaboration-carets__caret"),
  })));

  await alice.page.getByTestId("ai-button").click();
  await alice.page.getByTestId("review-button").click();

  // Its comment appears for both, anchored to the passage; then the critic leaves.
  for (const person of [alice, bob]) {
    await eventually(() => textOf(person.page.getByTestId("comment-highlight")), (text) => expect(text).toBe("probably be moved"));
    await eventually(() => person.page.getByTestId("presence-agent").count(), (count) => expect(count).toBe(0));
  }
  // While it worked, both saw it: in presence with what it was doing, and its named caret on the passage.
  for (const seen of watching) {
    expect((await seen.presence.seen()).map((sighting) => sighting.text).join()).toContain("Critic");
    expect((await seen.status.seen()).map((sighting) => sighting.text)).toContain("commenting");
    expect((await seen.caret.seen()).map((sighting) => sighting.text).join()).toContain("Critic");
  }
  await bob.page.getByTestId("comments-button").click();
  const thread = bob.page.getByTestId("comment-thread");
  await eventually(() => textOf(thread), (text) => {
    expect(text).toContain("Critic");
    expect(text).toContain("Be decisive: say when it moves.");
  });

  // Bob resolves it: the highlight goes for both.
  await thread.getByTestId("comment-resolve").click();
  for (const person of [alice, bob]) {
    await eventually(() => person.page.getByTestId("comment-highlight").count(), (count) => expect(count).toBe(0));
  }

  // The activity log says what happened.
  await alice.page.getByTestId("ai-activity").click();
  await eventually(() => textOf(alice.page.getByTestId("ai-activity")), (text) => {
    expect(text).toContain("Critic started");
    expect(text).toContain("Critic comment");
    expect(text).toContain("Critic finished");
  });

  // Alice defines a workspace agent: it can be asked at once, and deleted again.
  await alice.page.locator(".ai-new-agent > summary").click();
  await alice.page.getByLabel("Agent name").fill("Pedant");
  await alice.page.getByLabel("Agent instructions").fill("Obsess over commas.");
  await alice.page.getByRole("button", { name: "Create agent" }).click();
  await eventually(() => alice.page.getByTestId("workspace-agent").allInnerTexts(), (agents) => expect(agents.join()).toContain("Pedant"));
  expect(await alice.page.getByTestId("agent-select").locator("option").allInnerTexts()).toContain("Pedant");

  // She changes it: a critic now, on another model, with a smaller budget.
  await alice.page.getByRole("button", { name: "Edit agent Pedant" }).click();
  expect(await alice.page.getByLabel("Agent instructions").inputValue()).toBe("Obsess over commas.");
  await alice.page.getByLabel("Persona").selectOption("critic");
  await alice.page.getByLabel("Agent model").fill("ollama:llama3.2");
  await alice.page.getByLabel("Agent turns").fill("3");
  await alice.page.getByRole("button", { name: "Save agent" }).click();
  await eventually(() => alice.page.getByTestId("workspace-agent").allInnerTexts(), (agents) => expect(agents.join()).toContain("critic · ollama:llama3.2"));
  // The form is free for a new agent again.
  await eventually(() => alice.page.getByLabel("Agent name").inputValue(), (name) => expect(name).toBe(""));
  await alice.page.getByRole("button", { name: "Delete agent Pedant" }).click();
  await eventually(() => alice.page.getByTestId("workspace-agent").count(), (count) => expect(count).toBe(0));

  // Choosing a model is the owner's (decision 0016): Bob, an editor, asks with the workspace's model
  // and defines agents without choosing theirs.
  expect(await alice.page.getByTestId("ai-model").count()).toBe(1);
  await bob.page.getByTestId("ai-button").click();
  await eventually(() => bob.page.getByTestId("ai-instruction").count(), (count) => expect(count).toBe(1));
  expect(await bob.page.getByTestId("ai-model").count()).toBe(0);
  await bob.page.locator(".ai-new-agent > summary").click();
  expect(await bob.page.getByLabel("Agent model").isDisabled()).toBe(true);
  expect(await alice.page.getByLabel("Agent model").isDisabled()).toBe(false);
});

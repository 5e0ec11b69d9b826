import { expect, test } from "vitest";
import { scriptedModels } from "../tests/fixtures/scripted-model.ts";
import { aliceAndBobOnADoc, eventually, recordSightings, textOf, useServerAndBrowser } from "./helpers.ts";

// A scripted writer (a test fixture, never a default), slow enough to be watched at work.
const section = "The harbour lights came on one by one, and Mara counted them.";
const models = scriptedModels({ tokensPerSecond: 20, charsPerToken: 2 });
models.use((_call, step) => (step === 0 ? [{ tool: "insert", input: { after: "", text: section } }] : [{ text: "Wrote today's part." }]));
const running = useServerAndBrowser({ models });

test("a task created on the Tasks page runs now, its output streams into the canvas in a second browser, and its owner's inbox badge counts the run", async () => {
  const { alice, bob, canvasId } = await aliceAndBobOnADoc(running, "tasks", "editor", "The ferry came in late.");
  const { workspaceId } = await alice.api<{ workspaceId: string }>("GET", `/api/canvases/${canvasId}`);

  await alice.page.goto(`/w/${workspaceId}`);
  await alice.page.getByTestId("tab-tasks").click();
  await alice.page.getByTestId("new-task").click();
  await alice.page.getByTestId("task-name").fill("Harbour Lights");
  await alice.page.getByTestId("task-instruction").fill("Continue the story.");
  await alice.page.getByTestId("task-schedule").fill("every morning at 7");
  await alice.page.getByTestId("task-time-zone").fill("Europe/Paris");
  // The next five runs are shown before saving; an unreadable schedule says why.
  await eventually(() => alice.page.getByTestId("task-next-runs").locator("li").count(), (count) => expect(count).toBe(5));
  await alice.page.getByTestId("task-schedule").fill("every blursday");
  await eventually(() => textOf(alice.page.getByTestId("task-schedule-error")), (text) => expect(text).toContain("not a schedule"));
  await alice.page.getByTestId("task-schedule").fill("every morning at 7");
  await eventually(() => alice.page.getByTestId("task-next-runs").locator("li").count(), (count) => expect(count).toBe(5));
  await alice.page.getByTestId("task-save").click();

  const row = alice.page.getByTestId("task-row");
  await eventually(() => textOf(row), (text) => {
    expect(text).toContain("Harbour Lights");
    expect(text).toContain("every morning at 7 · Europe/Paris");
    expect(text).toContain("next");
  });

  // Bob has the canvas open: what he sees of the run is recorded as it happens.
  const bobSees = await recordSightings(bob.page, "[data-testid=suggestion]");
  const bobSeesAgent = await recordSightings(bob.page, "[data-testid=presence-agent]");
  await row.getByTestId("task-run-now").click();

  const bobSuggestion = bob.page.getByTestId("suggestion");
  await eventually(() => bobSuggestion.getAttribute("data-status"), (status) => expect(status).toBe("pending"), 30_000);
  expect(await bobSuggestion.innerText()).toContain(section);
  const streaming = (await bobSees.seen()).filter((sighting) => sighting.data.status === "streaming");
  expect(streaming.some((sighting) => sighting.text.length > 0 && !sighting.text.includes(section))).toBe(true);
  expect((await bobSees.seen()).some((sighting) => sighting.data.status === "streaming")).toBe(true);
  expect((await bobSeesAgent.seen()).map((sighting) => sighting.text).join()).toContain("Writer");

  // The run's history on the Tasks page: done, with its output and model.
  await eventually(() => alice.page.getByTestId("task-run").first().getAttribute("data-status"), (status) => expect(status).toBe("done"), 30_000);
  const run = alice.page.getByTestId("task-run").first();
  expect(await textOf(run.getByTestId("task-run-output"))).toBe(section);
  expect(await textOf(run)).toContain("scripted:scripted-1");

  // Alice, the task's owner, hears of the run in her inbox: the bell's count rises live.
  const bell = alice.page.getByTestId("notification-bell");
  await eventually(() => bell.getAttribute("data-unread"), (unread) => expect(unread).toBe("1"));
  await bell.click();
  await eventually(() => textOf(alice.page.getByTestId("notification-panel")), (text) => expect(text).toContain("Task “Harbour Lights” ran"));
}, 120_000);

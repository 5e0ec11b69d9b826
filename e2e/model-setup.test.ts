import { afterAll, beforeAll, expect, test } from "vitest";
import { startChatCompletionsServer } from "../tests/fixtures/chat-completions-server.ts";
import { eventually, openCanvas, screenshotsOnFailure, shareCanvas, signUpPerson, textOf, useServerAndBrowser } from "./helpers.ts";

// A fresh server with no model anywhere (nothing from the environment running the tests).
const running = useServerAndBrowser({
  model: "",
  openaiApiKey: "",
  openaiBaseUrl: "",
  anthropicApiKey: "",
  anthropicBaseUrl: "",
  openaiCompatibleApiKey: "",
  openaiCompatibleBaseUrl: "",
  ollamaBaseUrl: "",
});

// A local OpenAI-compatible server (a test fixture) that reports one model and streams a reply.
let fake: Awaited<ReturnType<typeof startChatCompletionsServer>>;
beforeAll(async () => {
  fake = await startChatCompletionsServer(() => ({ text: "Hello! I am ready to help on your canvas.", chunk: 3, delayMs: 10 }), { models: ["fake-small"] });
});
afterAll(() => fake?.close());

test("with no model, the AI panel says so before anyone types: the admin sets one up and tests it; a member is told whom to ask", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice"); // the first account: the admin
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role: "editor" }]);
  screenshotsOnFailure("model-setup", [alice, bob]);

  // Bob, not an admin, is told in plain words, naming the admin, before typing anything.
  await openCanvas(bob, canvasId);
  await bob.page.getByTestId("ai-button").click();
  await eventually(() => textOf(bob.page.getByTestId("model-ask-admin")), (text) => expect(text).toContain("Ask an admin (Alice) to set one up."));
  expect(await bob.page.getByTestId("model-setup-card").count()).toBe(0);
  // A request that fails keeps what he typed.
  await bob.page.getByTestId("ai-instruction").fill("Summarise this page");
  await bob.page.getByTestId("ai-send").click();
  await eventually(() => textOf(bob.page.getByTestId("ai-panel")), (text) => expect(text).toMatch(/no model is configured/));
  expect(await bob.page.getByTestId("ai-instruction").inputValue()).toBe("Summarise this page");

  // Alice, the admin, gets the set-up card: she enters the server's address and tests it.
  await openCanvas(alice, canvasId);
  await alice.page.getByTestId("ai-button").click();
  await alice.page.getByTestId("model-setup-card").waitFor();
  await alice.page.getByTestId("model-setup-provider").selectOption("openai-compatible");
  await alice.page.getByTestId("model-setup-address").fill(fake.url);
  await alice.page.getByTestId("model-setup-test").click();
  await eventually(() => textOf(alice.page.getByTestId("model-setup-reply")), (text) => expect(text).toBe("Hello! I am ready to help on your canvas."), 30_000);
  expect(await textOf(alice.page.getByTestId("model-setup-speed"))).toMatch(/^[\d.]+ tokens\/s, first words after [\d.]+ s$/);
  // The model field took the model the server reported.
  expect(await alice.page.getByTestId("model-setup-model").inputValue()).toBe("fake-small");

  // She uses it for everyone: her notice goes, and Bob's kept request now gets an answer.
  await alice.page.getByTestId("model-setup-use").click();
  await eventually(() => alice.page.getByTestId("model-notice").count(), (count) => expect(count).toBe(0));
  await bob.page.getByTestId("ai-send").click();
  await eventually(
    () => textOf(bob.page.locator("[data-testid=ai-message][data-role=assistant]").last()),
    (text) => expect(text).toContain("Hello! I am ready to help on your canvas."),
    30_000,
  );
  expect(await bob.page.getByTestId("ai-instruction").inputValue()).toBe("");
});

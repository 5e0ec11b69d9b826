import { expect, test } from "vitest";
import { scriptedModels } from "../tests/fixtures/scripted-model.ts";
import { codeContent, editorText, eventually, openCanvas, screenshotsOnFailure, shareCanvas, signUpPerson, useServerAndBrowser } from "./helpers.ts";

// A scripted reviewer (a test fixture, never a default).
const models = scriptedModels({ tokensPerSecond: 40, charsPerToken: 2 });
models.use((_call, step) => (step > 0 ? [{ text: "One finding." }] : [{ tool: "insert", input: { after: "def add(a, b):\n", text: "    # REVIEW: subtracts instead of adding\n" } }]));
const running = useServerAndBrowser({ models });

test("a code review quick action suggests a comment line in CodeMirror; accepting puts it in the file", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const { canvasId } = await shareCanvas(alice, "code", [], { files: [{ path: "main.py", language: "python", content: "def add(a, b):\n    return a - b\n" }] });
  screenshotsOnFailure("ai-code-suggestions", [alice]);
  await openCanvas(alice, canvasId);
  await eventually(() => editorText(codeContent(alice.page)), (text) => expect(text).toContain("return a - b"));

  await alice.page.getByTestId("ai-button").click();
  await alice.page.getByTestId("quick-action-review").click();
  const suggestion = alice.page.locator("[data-testid=code-editor] [data-testid=suggestion]");
  await eventually(() => suggestion.getAttribute("data-status"), (status) => expect(status).toBe("pending"));
  expect(await suggestion.innerText()).toContain("REVIEW: subtracts instead of adding");
  expect(await editorText(codeContent(alice.page))).not.toContain("REVIEW");

  await suggestion.getByTestId("suggestion-accept").click();
  await eventually(() => editorText(codeContent(alice.page)), (text) => expect(text).toBe("def add(a, b):\n    # REVIEW: subtracts instead of adding\n    return a - b\n"));
});

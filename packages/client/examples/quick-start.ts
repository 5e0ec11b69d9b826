// Run against a server: COCANVAS_URL=http://localhost:3000 COCANVAS_TOKEN=... npx tsx packages/client/examples/quick-start.ts
import { CocanvasClient } from "@cocanvas/client";

// Sign in with an API token (Settings → API tokens, or `npx cocanvas token create`).
const client = new CocanvasClient({ baseUrl: process.env.COCANVAS_URL ?? "http://localhost:3000", token: process.env.COCANVAS_TOKEN ?? "" });
console.log(`Signed in as ${(await client.me()).email}`);

// Open a canvas: here a new one, with some text to work on.
const workspace = await client.createWorkspace("Quick start");
const canvas = await client.importCanvas(workspace.id, { kind: "doc", title: "Notes", markdown: "Teh quick brown fox jumps over the lazy dog." });

// Ask an agent, by name, about a passage quoted from the text.
const { runId } = await client.ask(canvas.id, { agent: "Writer", instruction: "Fix the typo", selection: { quote: "Teh quick brown fox" } });

// Follow the run: first its state so far, then each change as it happens.
for await (const event of client.followRun(runId)) {
  if (event.type === "run-state") process.stdout.write(event.text);
  if (event.type === "text-delta") process.stdout.write(event.delta);
  if (event.type === "suggestion-end") console.log(`\nsuggestion ${event.id}: ${event.status}`);
  if (event.type === "run-status") console.log(`\nrun ${event.status}${event.error ? `: ${event.error}` : ""}`);
}

// Accept what it suggested, and read the result.
for (const suggestion of await client.listSuggestions(canvas.id)) {
  if (suggestion.status === "pending") await client.acceptSuggestion(canvas.id, suggestion.id);
}
console.log(await client.canvasText(canvas.id));

/**
 * Shared setup for the browser end-to-end tests: a real server on a free port with a
 * throw-away data folder, Debian's Chromium through playwright-core, and users signed
 * up through the API inside their own browser context (so the page shares the cookie).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, onTestFailed } from "vitest";
import { startServer } from "@cocanvas/server";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDist = path.join(repoRoot, "packages", "web", "dist", "index.html");

export const password = "correct horse battery";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server (serving the built web app) on a free port with its own data folder. */
export async function startTestServer(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  if (!fs.existsSync(webDist)) throw new Error("The web app is not built: run `npm run build` first.");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-e2e-"));
  const server = await startServer({ port: 0, dataDir, logLevel: "silent", ...options });
  return {
    url: server.url,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const cspViolations: string[] = [];

/** Records what the Content-Security-Policy refused in any page of `context` (Chromium reports it on the console). */
export function watchContentSecurityPolicy(context: BrowserContext): void {
  context.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}

/** The CSP violations recorded since the last call (and forgets them). */
export function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

/**
 * A server and a browser for the whole test file, closed after it. Read them inside tests.
 * Every test must end without a Content-Security-Policy violation in any page: the app
 * has to work under its policy (a test that provokes one on purpose takes it first).
 */
export function useServerAndBrowser(options: Parameters<typeof startServer>[0] = {}): { server: TestServer; browser: Browser } {
  const running = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    running.server = await startTestServer(options);
    running.browser = await launchBrowser();
  });
  afterEach(() => {
    expect(takeCspViolations(), "Content-Security-Policy violations").toEqual([]);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.close();
  });
  return running;
}

/** Debian's Chromium, headless. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A signed-in person: their own browser context and page, and an API client sharing the cookie. */
export interface Person {
  name: string;
  email: string;
  userId: string;
  context: BrowserContext;
  page: Page;
  api<T = unknown>(method: "GET" | "POST" | "PATCH" | "DELETE", apiPath: string, body?: unknown): Promise<T>;
}

let counter = 0;
/** A unique email for a display name. */
export const emailFor = (name: string) => `${name.toLowerCase()}-${Date.now().toString(36)}-${++counter}@example.test`;

async function personFromContext(context: BrowserContext, baseUrl: string, name: string, email: string, csrfToken: string, userId: string): Promise<Person> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return {
    name,
    email,
    userId,
    context,
    page,
    async api<T>(method: string, apiPath: string, body?: unknown): Promise<T> {
      const response = await context.request.fetch(`${baseUrl}${apiPath}`, {
        method,
        headers: { "X-CSRF-Token": csrfToken, Origin: baseUrl },
        ...(body === undefined ? {} : { data: body }),
      });
      if (!response.ok()) throw new Error(`${method} ${apiPath} → ${response.status()}: ${await response.text()}`);
      return (response.status() === 204 ? undefined : await response.json()) as T;
    },
  };
}

/**
 * When the running test fails, saves what each person's page showed to
 * `.test-results/e2e/<test>-<name>.png`, to see why.
 */
export function screenshotsOnFailure(testName: string, people: Person[]): void {
  onTestFailed(async () => {
    const folder = path.join(repoRoot, ".test-results", "e2e");
    fs.mkdirSync(folder, { recursive: true });
    for (const person of people) {
      const file = path.join(folder, `${testName}-${person.name.toLowerCase()}.png`);
      await person.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    }
  });
}

/** Signs a new person up through the API, in a fresh browser context. */
export async function signUpPerson(browser: Browser, baseUrl: string, name: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
  watchContentSecurityPolicy(context);
  const email = emailFor(name);
  const response = await context.request.post(`${baseUrl}/api/auth/signup`, { data: { email, password, name }, headers: { Origin: baseUrl } });
  if (!response.ok()) throw new Error(`signup ${name} → ${response.status()}: ${await response.text()}`);
  const { user, csrfToken } = (await response.json()) as { user: { id: string }; csrfToken: string };
  return personFromContext(context, baseUrl, name, email, csrfToken, user.id);
}

/** Signs a new person up by filling in the sign-up form, as a visitor would. */
export async function signUpThroughUi(browser: Browser, baseUrl: string, name: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
  watchContentSecurityPolicy(context);
  const page = await context.newPage();
  const email = emailFor(name);
  await page.goto("/signup");
  await page.getByTestId("name-input").fill(name);
  await page.getByTestId("email-input").fill(email);
  await page.getByTestId("password-input").fill(password);
  await page.getByTestId("signup-submit").click();
  await eventually(() => page.getByTestId("current-user").textContent(), (text) => expect(text).toBe(name));
  await page.close();
  const me = await context.request.get(`${baseUrl}/api/auth/me`);
  const { user, csrfToken } = (await me.json()) as { user: { id: string }; csrfToken: string };
  return personFromContext(context, baseUrl, name, email, csrfToken, user.id);
}

export interface Shared {
  workspaceId: string;
  canvasId: string;
}

/** The owner creates a workspace with one canvas and adds the others with a role. */
export async function shareCanvas(
  owner: Person,
  kind: "doc" | "code",
  members: { person: Person; role: "editor" | "commenter" | "viewer" }[],
  options: { files?: { path: string; language: string; content: string }[] } = {},
): Promise<Shared> {
  const workspace = await owner.api<{ id: string }>("POST", "/api/workspaces", { name: `${owner.name}'s team` });
  const canvas = options.files
    ? await owner.api<{ id: string }>("POST", `/api/workspaces/${workspace.id}/import`, { kind: "code", title: "Shared code", files: options.files })
    : await owner.api<{ id: string }>("POST", `/api/workspaces/${workspace.id}/canvases`, { title: kind === "doc" ? "Shared notes" : "Shared code", kind });
  for (const { person, role } of members) {
    await owner.api("POST", `/api/workspaces/${workspace.id}/members`, { email: person.email, role });
  }
  return { workspaceId: workspace.id, canvasId: canvas.id };
}

/**
 * Alice owns a new doc canvas that Bob holds `role` on; both have it open (their pages
 * are saved as screenshots if the test fails). With `text`, Alice has typed it and Bob
 * already sees it.
 */
export async function aliceAndBobOnADoc(running: { server: TestServer; browser: Browser }, testName: string, role: "editor" | "commenter" | "viewer", text?: string) {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  const bob = await signUpPerson(running.browser, running.server.url, "Bob");
  const { canvasId } = await shareCanvas(alice, "doc", [{ person: bob, role }]);
  screenshotsOnFailure(testName, [alice, bob]);
  await openCanvas(alice, canvasId);
  await openCanvas(bob, canvasId);
  if (text) {
    await focusEnd(alice.page, docContent(alice.page));
    await alice.page.keyboard.type(text);
    await eventually(() => editorText(docContent(bob.page)), (seen) => expect(seen).toBe(text));
  }
  return { alice, bob, canvasId };
}

/** Opens a canvas and waits until the live channel is connected. */
export async function openCanvas(person: Person, canvasId: string): Promise<void> {
  await person.page.goto(`/c/${canvasId}`);
  await eventually(() => person.page.getByTestId("connection-status").getAttribute("data-status"), (status) => expect(status).toBe("connected"));
}

/** The editable area of a document canvas. */
export const docContent = (page: Page): Locator => page.getByTestId("rich-text-content");

/** The editable area of a code canvas (CodeMirror's content element). */
export const codeContent = (page: Page): Locator => page.locator("[data-testid=code-editor] .cm-content");

/** Clicks into an editor and moves the cursor to the very end. */
export async function focusEnd(page: Page, editor: Locator): Promise<void> {
  await editor.click();
  await page.keyboard.press("Control+End");
}

/**
 * Selects `selected` when the document ends with `selected + suffix`, with the keyboard
 * as a person would: from the end, left past the suffix, then shift-left over the text.
 */
export async function selectBeforeEnd(page: Page, editor: Locator, selected: string, suffix: string): Promise<void> {
  await focusEnd(page, editor);
  for (let i = 0; i < suffix.length; i++) await page.keyboard.press("ArrowLeft");
  for (let i = 0; i < selected.length; i++) await page.keyboard.press("Shift+ArrowLeft");
}

/**
 * Reads a value until the check passes (or 15 s pass), the way a person looks at the
 * screen until something shows up.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What an element showed at one moment: its visible text and its `data-*` attributes. */
export interface Sighting {
  text: string;
  data: Record<string, string>;
}

/**
 * Starts recording, inside the page, every distinct state of the elements `selector`
 * matches, as the DOM changes. A state that shows for a moment (a status while an agent
 * comments, a suggestion while it streams) is caught when it happens instead of being
 * polled for, so a test never races it; `seen()` returns everything recorded so far.
 */
export async function recordSightings(page: Page, selector: string): Promise<{ seen: () => Promise<Sighting[]> }> {
  const key = `__sightings_${++counter}`;
  await page.evaluate(({ key, selector }) => {
    const seen = new Map<string, { text: string; data: Record<string, string> }>();
    const record = () => {
      for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
        const sighting = { text: element.innerText ?? "", data: { ...element.dataset } as Record<string, string> };
        seen.set(JSON.stringify(sighting), sighting);
      }
    };
    (window as unknown as Record<string, unknown>)[key] = seen;
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, { key, selector });
  return {
    seen: () => page.evaluate((key) => [...((window as unknown as Record<string, Map<string, Sighting>>)[key] ?? new Map()).values()], key),
  };
}

/** The visible text of an element (empty when it is not there). */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.count()) === 0 ? "" : ((await locator.first().innerText()) ?? "");
}

/**
 * The text of an editor as its author wrote it: without the name labels of other
 * people's carets, which sit inside the editable area.
 */
export async function editorText(locator: Locator): Promise<string> {
  if ((await locator.count()) === 0) return "";
  return locator.first().evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    // Carets and AI suggestion widgets are drawn over the text, not part of it.
    copy.querySelectorAll(".collaboration-carets__caret, .cm-ySelectionCaret, .cm-ySelectionInfo, [data-testid=suggestion]").forEach((overlay) => overlay.remove());
    // One line per block (paragraph, heading, CodeMirror line).
    return Array.from(copy.children, (block) => block.textContent ?? "").join("\n");
  });
}

/** All visible texts of the elements a locator matches. */
export async function textsOf(locator: Locator): Promise<string[]> {
  return locator.allInnerTexts();
}

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { docContent, eventually, openCanvas, screenshotsOnFailure, signUpPerson, takeCspViolations, useServerAndBrowser } from "./helpers.ts";

const running = useServerAndBrowser();

/** The smallest valid PNG (1x1). */
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+P+/HgAFhAJ/wlseKgAAAABJRU5ErkJggg==", "base64");

// Another host that would learn who reads a document, and when, if the image were fetched.
const tracker = { server: http.createServer(), requests: [] as string[], url: "" };
beforeAll(async () => {
  tracker.server.on("request", (request, response) => {
    tracker.requests.push(request.url ?? "");
    response.writeHead(200, { "content-type": "image/png" }).end(png);
  });
  await new Promise<void>((resolve) => tracker.server.listen(0, "127.0.0.1", resolve));
  tracker.url = `http://127.0.0.1:${(tracker.server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => tracker.server.close(() => resolve())));

test("an image from another host in a document is not requested; uploaded images still show", async () => {
  const alice = await signUpPerson(running.browser, running.server.url, "Alice");
  screenshotsOnFailure("remote-images", [alice]);
  const workspace = await alice.api<{ id: string }>("POST", "/api/workspaces", { name: "Images" });
  const first = await alice.api<{ id: string }>("POST", `/api/workspaces/${workspace.id}/import`, { kind: "doc", title: "Uploads", markdown: "Uploads live here." });
  const upload = await alice.context.request.post(`/api/canvases/${first.id}/uploads`, {
    multipart: { file: { name: "dot.png", mimeType: "image/png", buffer: png } },
    headers: { "X-CSRF-Token": (await alice.api<{ csrfToken: string }>("GET", "/api/auth/me")).csrfToken, Origin: running.server.url },
  });
  expect(upload.status()).toBe(201);
  const uploaded = (await upload.json()) as { url: string };

  const remote = `${tracker.url}/pixel.png?reader=alice`;
  const canvas = await alice.api<{ id: string }>("POST", `/api/workspaces/${workspace.id}/import`, {
    kind: "doc",
    title: "Tracked",
    markdown: `Before.\n\n![ours](${uploaded.url})\n\n![tracker](${remote})\n\nAfter.`,
  });
  await openCanvas(alice, canvas.id);
  await eventually(() => docContent(alice.page).locator("img").count(), (count) => expect(count).toBe(2));

  // The browser refuses the remote image under the app's Content-Security-Policy...
  const violations: string[] = [];
  await eventually(
    async () => violations.push(...takeCspViolations()),
    () => expect(violations.join("\n")).toContain(tracker.url),
  );
  expect(violations.every((violation) => violation.includes(tracker.url))).toBe(true);
  // ...so the other host never hears of the reader, while the uploaded image loads.
  expect(tracker.requests).toEqual([]);
  await eventually(
    () => docContent(alice.page).locator(`img[src="${uploaded.url}"]`).evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth),
    (width) => expect(width).toBe(1),
  );
});

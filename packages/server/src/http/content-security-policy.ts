/**
 * The Content-Security-Policy of the web app (decision 0012).
 *
 * - Scripts only from the server itself: the Vite build has no inline script.
 * - Images only from the server (uploads at /api/uploads/…), `data:` and `blob:`: an
 *   image in a document that points at another host is not fetched, so a document cannot
 *   tell a third party who reads it and when (no proxy either: fetching arbitrary
 *   addresses from the server would be a way into its network).
 * - Styles allow 'unsafe-inline': TipTap and CodeMirror inject <style> elements and
 *   React sets style attributes; inline styles cannot run code.
 * - Live editing connects to the same host ('self' covers ws:/wss: of it).
 */
export const appContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** API answers are data, never pages: nothing in them may load or run (an upload opened directly still shows). */
export const apiContentSecurityPolicy = "default-src 'none'; img-src 'self'; frame-ancestors 'none'";

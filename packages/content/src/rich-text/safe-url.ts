/** Schemes a link or image in a document may use; everything else (javascript:, data:, file:, vbscript:, …) is refused. */
const allowedSchemes = new Set(["http", "https", "mailto"]);

/**
 * Whether a link or image URL is safe to keep in a document and its exports: http, https
 * and mailto URLs, and relative ones (`/api/uploads/…`, `#section`, `page.md`, `//host/x`).
 * Control characters and spaces are ignored when reading the scheme, as browsers do
 * (`java\tscript:` is still javascript:).
 *
 * @example
 * isSafeUrl("https://example.com") // true
 * isSafeUrl("/api/uploads/abc") // true
 * isSafeUrl(" JavaScript:alert(1)") // false
 */
export function isSafeUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g, "");
  const scheme = /^([^/?#]*?):/.exec(cleaned);
  if (!scheme) return true;
  return allowedSchemes.has(scheme[1]!.toLowerCase());
}

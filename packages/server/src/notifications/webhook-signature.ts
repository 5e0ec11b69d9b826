import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `sha256=<hex HMAC-SHA256>` of `<timestamp>.<raw body>` with the endpoint's secret. */
export const signatureHeader = "X-Cocanvas-Signature";
/** Header carrying the Unix time (seconds) the payload was signed at; part of the signed material. */
export const timestampHeader = "X-Cocanvas-Timestamp";
/** Header carrying the delivery id: the same on every retry of one payload, so receivers can drop repeats. */
export const deliveryHeader = "X-Cocanvas-Delivery";
/** Header carrying the event name (`notification-created`, `ping`, …). */
export const eventHeader = "X-Cocanvas-Event";

/**
 * The signature of one webhook request: `sha256=` and the hex HMAC-SHA256, keyed with the
 * endpoint's secret, of the timestamp, a dot, and the raw body exactly as sent.
 *
 * @example signWebhook("whsec_…", 1767225600, '{"id":"…"}') // "sha256=5f2b…"
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/**
 * What a receiver does: recompute the signature over the timestamp header and the raw
 * body, compare in constant time, and refuse timestamps older (or newer) than
 * `toleranceSeconds` so a captured request cannot be replayed later.
 */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

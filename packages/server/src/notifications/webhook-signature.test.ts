import { expect, test } from "vitest";
import { isPrivateAddress } from "./webhook-request.ts";
import { signWebhook, verifyWebhook } from "./webhook-signature.ts";
import { retryDelay } from "./webhooks.ts";

test("a signature verifies with the right secret, body and a fresh timestamp only", () => {
  const body = '{"id":"d1","event":"ping"}';
  const signature = signWebhook("whsec_a", 1_800_000_000, body);
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  const headers = { signature, timestamp: "1800000000" };
  expect(verifyWebhook("whsec_a", headers, body, { nowSeconds: 1_800_000_100 })).toBe(true);
  expect(verifyWebhook("whsec_b", headers, body, { nowSeconds: 1_800_000_100 })).toBe(false);
  expect(verifyWebhook("whsec_a", headers, body.replace("ping", "pong"), { nowSeconds: 1_800_000_100 })).toBe(false);
  // The timestamp is signed: changing it breaks the signature; an old one is a replay.
  expect(verifyWebhook("whsec_a", { ...headers, timestamp: "1800000001" }, body, { nowSeconds: 1_800_000_100 })).toBe(false);
  expect(verifyWebhook("whsec_a", headers, body, { nowSeconds: 1_800_000_000 + 301 })).toBe(false);
  expect(verifyWebhook("whsec_a", { signature: undefined, timestamp: "1800000000" }, body)).toBe(false);
});

test("private, loopback and link-local addresses are recognised, public ones are not", () => {
  for (const address of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "not-an-ip"]) {
    expect(isPrivateAddress(address), address).toBe(true);
  }
  for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
    expect(isPrivateAddress(address), address).toBe(false);
  }
});

test("retries back off exponentially up to the cap", () => {
  const options = { baseDelayMs: 1000, maxDelayMs: 5000 };
  expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, options))).toEqual([1000, 2000, 4000, 5000, 5000]);
});

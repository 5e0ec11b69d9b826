import { expect, test } from "vitest";
import { SignInLimits } from "./sign-in-limits.ts";

const blocked = (limits: SignInLimits, address: string, email: string) => {
  try {
    limits.check(address, email);
    return false;
  } catch {
    return true;
  }
};

test("one address spraying many accounts is paused, other addresses are not", () => {
  let now = 0;
  const limits = new SignInLimits({ perAddress: 5, serverWide: 1000, now: () => now });
  for (let index = 0; index < 5; index++) {
    expect(blocked(limits, "10.0.0.1", `person${index}@example.com`)).toBe(false);
    limits.recordFailure("10.0.0.1", `person${index}@example.com`);
  }
  expect(blocked(limits, "10.0.0.1", "someone-new@example.com")).toBe(true);
  expect(blocked(limits, "10.0.0.2", "someone-new@example.com")).toBe(false);
  // A success for one's own account does not reset the address.
  limits.recordSuccess("10.0.0.1", "person0@example.com");
  expect(blocked(limits, "10.0.0.1", "person0@example.com")).toBe(true);
  now = 15 * 60_000 + 1;
  expect(blocked(limits, "10.0.0.1", "someone-new@example.com")).toBe(false);
});

test("ten failures on one email from one address pause that pair only", () => {
  const limits = new SignInLimits({ perAddress: 50, serverWide: 1000, now: () => 0 });
  for (let index = 0; index < 10; index++) limits.recordFailure("10.0.0.1", "erin@example.com");
  expect(blocked(limits, "10.0.0.1", "erin@example.com")).toBe(true);
  expect(blocked(limits, "10.0.0.1", "frank@example.com")).toBe(false);
  expect(blocked(limits, "10.0.0.2", "erin@example.com")).toBe(false);
});

test("past the server-wide ceiling, addresses that failed are paused and clean ones still sign in", () => {
  const limits = new SignInLimits({ perAddress: 50, serverWide: 20, now: () => 0 });
  for (let index = 0; index < 20; index++) limits.recordFailure(`10.0.1.${index}`, `person${index}@example.com`);
  expect(blocked(limits, "10.0.1.3", "person99@example.com")).toBe(true);
  expect(blocked(limits, "192.168.7.7", "ada@example.com")).toBe(false);
});

test("0 turns the address and server-wide limits off", () => {
  const limits = new SignInLimits({ perAddress: 0, serverWide: 0, now: () => 0 });
  for (let index = 0; index < 200; index++) limits.recordFailure("10.0.0.1", `person${index}@example.com`);
  expect(blocked(limits, "10.0.0.1", "ada@example.com")).toBe(false);
});

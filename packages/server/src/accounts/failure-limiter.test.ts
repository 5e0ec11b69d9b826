import { expect, test } from "vitest";
import { FailureLimiter } from "./failure-limiter.ts";

test("blocks a key after the limit within the window, and forgets after it", () => {
  let now = 0;
  const limiter = new FailureLimiter(3, 1000, () => now);
  for (let index = 0; index < 3; index++) limiter.recordFailure("a");
  expect(limiter.isBlocked("a")).toBe(true);
  expect(limiter.isBlocked("b")).toBe(false);
  now = 1001;
  expect(limiter.isBlocked("a")).toBe(false);
  limiter.recordFailure("a");
  limiter.reset("a");
  expect(limiter.isBlocked("a")).toBe(false);
});

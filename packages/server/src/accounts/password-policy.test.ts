import { expect, test } from "vitest";
import { passwordProblem } from "./password-policy.ts";

test("accepts long passwords that are not common, like the tests' own", () => {
  expect(passwordProblem("correct horse battery", "ada@example.com")).toBeNull();
  expect(passwordProblem("long enough password")).toBeNull();
  expect(passwordProblem("violet tram 48 kettle")).toBeNull();
});

test("refuses short, common, email-like and repetitive passwords", () => {
  expect(passwordProblem("short")).toMatch(/12 characters/);
  expect(passwordProblem("elevenchars")).toMatch(/12 characters/);
  expect(passwordProblem("qwertyuiop123")).toMatch(/most common/);
  expect(passwordProblem("Password1234")).toMatch(/most common/);
  expect(passwordProblem("Correct Horse Battery Staple")).toMatch(/most common/);
  expect(passwordProblem("ILoveYouILoveYou")).toMatch(/most common/);
  expect(passwordProblem("ada.lovelace@example.com", "ada.lovelace@example.com")).toMatch(/email/);
  expect(passwordProblem("ada.lovelace1", "ada.lovelace@example.com")).toMatch(/email/);
  expect(passwordProblem("abababababab")).toMatch(/repeats/);
  expect(passwordProblem("zzzzzzzzzzzzzzzzzz")).toMatch(/repeats/);
});

import fs from "node:fs";
import { ApiError } from "@cocanvas/protocol";

/** Passwords have at least this many characters (the sign-up schema says the same). */
export const minimumPasswordLength = 12;

let commonPasswords: Set<string> | undefined;

/** The shipped list (accounts/common-passwords.txt), read once, lower-cased. */
function common(): Set<string> {
  commonPasswords ??= new Set(
    fs
      .readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
      .split("\n")
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line && !line.startsWith("#")),
  );
  return commonPasswords;
}

/**
 * What is wrong with a new password, or null when it is acceptable: at least 12
 * characters, not on the list of common passwords (compared without case and spaces),
 * not the email or its name part, and not a repeat of a few characters.
 */
export function passwordProblem(password: string, email = ""): string | null {
  if ([...password].length < minimumPasswordLength) return `Passwords have at least ${minimumPasswordLength} characters.`;
  const folded = password.normalize("NFKC").toLowerCase();
  const squeezed = folded.replace(/\s+/g, "");
  if (common().has(folded) || common().has(squeezed)) return "This password is one of the most common ones; choose another (a few unrelated words work well).";
  const address = email.trim().toLowerCase();
  const local = address.split("@")[0] ?? "";
  if (address && (squeezed === address || (local.length >= 4 && squeezed.includes(local) && squeezed.length - local.length < 6))) {
    return "The password is too close to the email address; choose another.";
  }
  if (new Set(squeezed).size < 5) return "The password repeats too few characters; choose another (a few unrelated words work well).";
  return null;
}

/** Throws a 400 naming the `password` field when the password is not acceptable. */
export function checkNewPassword(password: string, email = ""): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new ApiError("invalid_request", `Invalid request body: password: ${problem}`, [{ path: ["password"], message: problem }]);
}

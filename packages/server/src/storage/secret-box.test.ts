import fs from "node:fs";
import { expect, test } from "vitest";
import { temporaryDir } from "../../../../tests/helpers/temporary.ts";
import { SecretBox, SecretUnreadableError } from "./secret-box.ts";

const folder = () => temporaryDir("secret");

test("seals with a key file created 0600 on first use, and opens again from a new instance", () => {
  const dataDir = folder();
  const box = new SecretBox(dataDir);
  expect(fs.existsSync(box.keyFile)).toBe(false);
  const sealed = box.seal("sk-live-123", "models.openai.apiKey");
  expect(SecretBox.isSealed(sealed)).toBe(true);
  expect(sealed).not.toContain("sk-live-123");
  expect(fs.statSync(box.keyFile).mode & 0o777).toBe(0o600);
  expect(new SecretBox(dataDir).open(sealed, "models.openai.apiKey")).toBe("sk-live-123");
  expect(box.seal("sk-live-123", "models.openai.apiKey")).not.toBe(sealed);
});

test("refuses a value moved to another purpose, a missing key file and another key file", () => {
  const dataDir = folder();
  const sealed = new SecretBox(dataDir).seal("sk-live-123", "models.openai.apiKey");
  expect(() => new SecretBox(dataDir).open(sealed, "models.anthropic.apiKey")).toThrow(SecretUnreadableError);
  expect(() => new SecretBox(folder()).open(sealed, "models.openai.apiKey")).toThrow(/secret\.key is missing/);
  const other = folder();
  new SecretBox(other).seal("x", "y");
  expect(() => new SecretBox(other).open(sealed, "models.openai.apiKey")).toThrow(/not the key/);
});

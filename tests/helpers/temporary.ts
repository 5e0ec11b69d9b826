/**
 * Temporary folders for tests, removed after the test file that made them (the setup file
 * `remove-temporary.ts` registers the afterAll), so runs leave nothing in the OS temp dir.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const made = new Set<string>();

/** A fresh folder under the OS temp dir, named `cocanvas-test-<what>-…`. */
export function temporaryDir(what = "data"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cocanvas-test-${what}-`));
  made.add(dir);
  return dir;
}

/** Removes every folder made so far. */
export function removeTemporaryDirs(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  made.clear();
}

/**
 * Once per test run: builds the compiled server when its sources changed (tests that
 * spawn `cocanvas` run what users run), and gives the run a temporary folder of its own.
 * At the end, fails the run if a test left a `cocanvas-*` folder behind in it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
let runTemporaryDir = "";

export function setup() {
  execFileSync(process.execPath, ["-e", 'const m = await import("./packages/server/build.mjs"); if (m.serverBuildIsStale()) await m.buildServer();', "--input-type=module"], {
    cwd: root,
    stdio: "inherit",
  });
  // Workers, the servers they spawn and the browsers all inherit it: os.tmpdir() reads TMPDIR.
  runTemporaryDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-run-"));
  process.env.TMPDIR = runTemporaryDir;
}

export function teardown() {
  const left = fs.readdirSync(runTemporaryDir).filter((name) => name.startsWith("cocanvas-"));
  fs.rmSync(runTemporaryDir, { recursive: true, force: true });
  if (left.length) throw new Error(`Tests left temporary folders behind (remove them in afterAll/afterEach): ${left.join(", ")}`);
}

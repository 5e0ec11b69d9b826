// Compiles the server and CLI to one JavaScript file, dist/cocanvas.js, so `cocanvas` runs
// without a TypeScript loader (decision 0015). Our packages and their pure-JavaScript
// dependencies are bundled in: one file parses in half the CPU time of ~1,000 modules
// resolved and loaded one by one. What stays an import that Node resolves from
// node_modules at run time is listed in `external`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const packageRoot = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(packageRoot, "dist");

const outfile = path.join(outDir, "cocanvas.js");
/** What the bundle is made of: a change to any of these makes dist/ stale. */
const sources = [path.join(packageRoot, "src"), ...["content", "protocol", "sandbox"].map((name) => path.join(packageRoot, "..", name, "src")), fileURLToPath(import.meta.url)];

function newestChange(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** True when dist/cocanvas.js is older than a source file (or missing). */
export function serverBuildIsStale() {
  return !fs.existsSync(outfile) || fs.statSync(outfile).mtimeMs < Math.max(...sources.map(newestChange));
}

/**
 * Builds dist/; resolves with the output file. Each file is written beside its final name
 * and renamed over it, so a `cocanvas` starting meanwhile loads the old build or the new
 * one, never half of one.
 */
export async function buildServer() {
  const result = await build({
    entryPoints: [path.join(packageRoot, "src", "cli", "main.ts")],
    outfile,
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
    external: [
      // Native addons, loaded from their own folders.
      "better-sqlite3",
      "node-llama-cpp",
      "@node-llama-cpp/*",
      "bufferutil",
      "utf-8-validate",
      "@duckdb/*",
      // Loads its WebAssembly from its own package folder.
      "quickjs-emscripten",
      // Starts worker threads from files of its own package.
      "pino",
    ],
    // Bundled CommonJS modules call require() for Node's built-ins.
    banner: { js: 'import { createRequire as createRequireForBundle } from "node:module"; const require = createRequireForBundle(import.meta.url);' },
  });
  const files = result.outputFiles.map((file) => ({ path: file.path, contents: file.contents }));
  // Files the code finds next to itself at run time (import.meta.url).
  files.push({ path: path.join(outDir, "gguf-probe.mjs"), contents: fs.readFileSync(path.join(packageRoot, "src", "models", "gguf-probe.mjs")) });
  files.push({ path: path.join(outDir, "common-passwords.txt"), contents: fs.readFileSync(path.join(packageRoot, "src", "accounts", "common-passwords.txt")) });
  // The sandbox's QuickJS worker and Python runner (packages/sandbox) are found the same way.
  for (const name of ["quickjs-worker.mjs", "python-runner.py"]) {
    files.push({ path: path.join(outDir, name), contents: fs.readFileSync(path.join(packageRoot, "..", "sandbox", "src", name)) });
  }
  fs.mkdirSync(outDir, { recursive: true });
  // The bundle last: its time stamp is what serverBuildIsStale compares.
  for (const file of files.sort((a, b) => Number(a.path === outfile) - Number(b.path === outfile))) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const outfile = await buildServer();
  console.log(`built ${path.relative(process.cwd(), outfile)} in ${Date.now() - started} ms`);
}

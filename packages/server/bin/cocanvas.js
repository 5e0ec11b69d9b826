#!/usr/bin/env node
// Runs the compiled CLI, dist/cocanvas.js (`npm run build`; decision 0015). With `--dev`
// it runs the TypeScript sources through tsx instead, for working on the server unbuilt.
import fs from "node:fs";

const devFlag = process.argv.indexOf("--dev", 2);
if (devFlag !== -1) {
  process.argv.splice(devFlag, 1);
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
} else {
  const compiled = new URL("../dist/cocanvas.js", import.meta.url);
  if (!fs.existsSync(compiled)) {
    console.error("Cocanvas's server is not built: run `npm run build` (or add --dev to run the TypeScript sources).");
    process.exit(1);
  }
  await import(compiled.href);
}

import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const sourceDirectory = new URL(".", import.meta.url).pathname;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("browser safety", () => {
  it("imports no Node-only module outside tests (scripts run it in browsers too)", () => {
    const nodeOnly = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const checked = sourceFiles(sourceDirectory);
    expect(checked.length).toBeGreaterThan(2);
    const offenders = checked.flatMap((file) => {
      const imports = [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]!);
      return imports.filter((name) => nodeOnly.has(name) || nodeOnly.has(name.split("/")[0]!)).map((name) => `${file}: ${name}`);
    });
    expect(offenders).toEqual([]);
  });
});

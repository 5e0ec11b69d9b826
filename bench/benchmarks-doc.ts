import fs from "node:fs";
import path from "node:path";

/**
 * Writes or replaces one benchmark's section of docs/benchmarks.md, between
 * `<!-- bench:KEY:start -->` and `<!-- bench:KEY:end -->`, leaving the others alone.
 */
export function writeBenchmarksSection(repoRoot: string, key: string, title: string, markdown: string): string {
  const file = path.join(repoRoot, "docs/benchmarks.md");
  const startMarker = `<!-- bench:${key}:start -->`;
  const endMarker = `<!-- bench:${key}:end -->`;
  const section = `${startMarker}\n## ${title}\n\n${markdown}\n${endMarker}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n\nMeasured numbers; how to run and read them: `bench/README.md`.\n\n";
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  text = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + endMarker.length) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, text);
  return file;
}

import { diffLines as diffLineChanges } from "diff";

/** One line of a line diff. */
export interface DiffLine {
  type: "same" | "add" | "remove";
  text: string;
}

/** Splits text into lines; CRLF counts as LF and a final newline ends the last line. */
function normalize(text: string): string {
  const unified = text.replace(/\r\n?/g, "\n");
  return unified === "" || unified.endsWith("\n") ? unified : `${unified}\n`;
}

/**
 * Compares two texts line by line. Lines are given without their newline; a missing
 * newline at the end of a text is not reported as a change.
 *
 * @example
 * ```ts
 * diffLines("a\nb\n", "a\nc\n");
 * // [{ type: "same", text: "a" }, { type: "remove", text: "b" }, { type: "add", text: "c" }]
 * ```
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const change of diffLineChanges(normalize(before), normalize(after))) {
    const type = change.added ? "add" : change.removed ? "remove" : "same";
    for (const text of change.value.replace(/\n$/, "").split("\n")) lines.push({ type, text });
  }
  return lines;
}

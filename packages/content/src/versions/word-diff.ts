import { diffWordsWithSpace } from "diff";
import type { DiffLine } from "./diff-lines.ts";

/** A piece of a changed line: words kept, inserted or deleted. */
export interface WordChange {
  type: "same" | "add" | "remove";
  text: string;
}

/** A line of a readable diff: unchanged, added, removed, or changed inside (with its words). */
export type ReadableDiffLine = { type: "same" | "add" | "remove"; text: string } | { type: "change"; text: string; words: WordChange[] };

/**
 * Turns a line diff into one people can read: a run of removed lines followed by added
 * ones is paired line by line, and each pair becomes one changed line with its inserted
 * and deleted words marked inside it (the rest stay whole lines).
 *
 * @example
 * readableDiff([{ type: "remove", text: "The cat sat." }, { type: "add", text: "The dog sat." }]);
 * // [{ type: "change", text: "The dog sat.", words: [{same "The "}, {remove "cat"}, {add "dog"}, {same " sat."}] }]
 */
export function readableDiff(lines: readonly DiffLine[]): ReadableDiffLine[] {
  const result: ReadableDiffLine[] = [];
  let index = 0;
  while (index < lines.length) {
    if (lines[index]!.type !== "remove") {
      result.push(lines[index]!);
      index++;
      continue;
    }
    const removed: string[] = [];
    while (index < lines.length && lines[index]!.type === "remove") removed.push(lines[index++]!.text);
    const added: string[] = [];
    while (index < lines.length && lines[index]!.type === "add") added.push(lines[index++]!.text);
    const pairs = Math.min(removed.length, added.length);
    for (let pair = 0; pair < pairs; pair++) {
      const words = diffWordsWithSpace(removed[pair]!, added[pair]!).map((part): WordChange => ({ type: part.added ? "add" : part.removed ? "remove" : "same", text: part.value }));
      // Lines with nothing in common read better as a whole removal and addition.
      if (words.some((word) => word.type === "same" && word.text.trim() !== "")) result.push({ type: "change", text: added[pair]!, words });
      else result.push({ type: "remove", text: removed[pair]! }, { type: "add", text: added[pair]! });
    }
    for (const text of removed.slice(pairs)) result.push({ type: "remove", text });
    for (const text of added.slice(pairs)) result.push({ type: "add", text });
  }
  return result;
}

import { expect, test } from "vitest";
import { diffLines } from "./diff-lines.ts";
import { readableDiff } from "./word-diff.ts";

test("a changed word is marked inside its paragraph; untouched lines stay whole", () => {
  const lines = readableDiff(diffLines("# Plan\n\nThe cat sat on the mat.\n", "# Plan\n\nThe dog sat on the mat.\n"));
  expect(lines).toEqual([
    { type: "same", text: "# Plan" },
    { type: "same", text: "" },
    {
      type: "change",
      text: "The dog sat on the mat.",
      words: [
        { type: "same", text: "The " },
        { type: "remove", text: "cat" },
        { type: "add", text: "dog" },
        { type: "same", text: " sat on the mat." },
      ],
    },
  ]);
});

test("extra added or removed lines stay whole additions and removals; unrelated lines are not paired into noise", () => {
  expect(readableDiff(diffLines("one\ntwo\n", "one\nuno\ntres\ncuatro\n"))).toEqual([
    { type: "same", text: "one" },
    { type: "remove", text: "two" },
    { type: "add", text: "uno" },
    { type: "add", text: "tres" },
    { type: "add", text: "cuatro" },
  ]);
  expect(readableDiff(diffLines("a\nb c\nd\n", "a\nd\n"))).toEqual([{ type: "same", text: "a" }, { type: "remove", text: "b c" }, { type: "same", text: "d" }]);
});

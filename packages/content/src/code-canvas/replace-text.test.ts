import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { replaceText } from "./replace-text.ts";

function textWith(content: string): Y.Text {
  const text = new Y.Doc().getText("t");
  text.insert(0, content);
  return text;
}

describe("replaceText", () => {
  it.each([
    ["hello world", "hello brave world"],
    ["abc", ""],
    ["", "abc"],
    ["aaaa", "aa"],
    ["same", "same"],
    ["emoji 😀 here", "emoji 😃 here"],
    ["😀", "😀😀"],
  ])("turns %j into %j", (before, after) => {
    const text = textWith(before);
    replaceText(text, after);
    expect(text.toString()).toBe(after);
  });

  it("changes only the differing span", () => {
    const text = textWith("keep this | old | keep that");
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(event.delta));
    replaceText(text, "keep this | new | keep that");
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toEqual(expect.arrayContaining([{ retain: 12 }, { delete: 3 }, { insert: "new" }]));
    expect(deltas[0]).toHaveLength(3);
  });
});

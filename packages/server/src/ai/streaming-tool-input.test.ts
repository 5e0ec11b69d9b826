import { describe, expect, it } from "vitest";
import { StreamingToolInput } from "./streaming-tool-input.ts";

function feedInPieces(json: string, size: number): StreamingToolInput {
  const input = new StreamingToolInput();
  for (let i = 0; i < json.length; i += size) input.push(json.slice(i, i + size));
  return input;
}

describe("StreamingToolInput", () => {
  it("decodes string fields exactly as JSON.parse does, whatever the chunking", () => {
    const value = { find: 'He said "hi"\\ now', replace: "line one\nline two\ttab é 😀 \u0001", count: 3, nested: { a: [1, "x}"] } };
    const json = JSON.stringify(value);
    for (const size of [1, 2, 3, 7, 1000]) {
      const input = feedInPieces(json, size);
      expect(input.field("find")).toEqual({ value: value.find, complete: true });
      expect(input.field("replace")).toEqual({ value: value.replace, complete: true });
      expect(input.field("count")).toEqual({ value: "3", complete: true });
      expect(JSON.parse(input.field("nested")!.value)).toEqual(value.nested);
    }
  });

  it("exposes a string field while it is still growing, and says when it is complete", () => {
    const input = new StreamingToolInput();
    input.push('{"find": "old te');
    expect(input.field("find")).toEqual({ value: "old te", complete: false });
    expect(input.field("replace")).toBeUndefined();
    input.push('xt", "replace": "new');
    expect(input.field("find")).toEqual({ value: "old text", complete: true });
    expect(input.field("replace")).toEqual({ value: "new", complete: false });
    input.push(' text"}');
    expect(input.field("replace")).toEqual({ value: "new text", complete: true });
  });

  it("does not emit half an escape sequence", () => {
    const input = new StreamingToolInput();
    input.push('{"t": "a\\');
    expect(input.field("t")!.value).toBe("a");
    input.push("u00e9");
    expect(input.field("t")!.value).toBe("aé");
  });
});

import { expect, test } from "vitest";
import { toGrammarSchema } from "./json-schema-grammar.ts";
import { outputMode, StructuredOutputParser, type StructuredEvent } from "./structured-output.ts";

/** Feeds `text` one character at a time, as the slowest possible stream. */
function feed(parser: StructuredOutputParser, text: string): StructuredEvent[] {
  return [...text].flatMap((char) => parser.push(char));
}
const textOf = (events: StructuredEvent[]) => events.map((event) => (event.type === "text" ? event.delta : "")).join("");
const inputOf = (events: StructuredEvent[]) => events.map((event) => (event.type === "tool-delta" ? event.delta : "")).join("");

test("an answer streams as decoded text, escapes included, whatever the chunking", () => {
  const output = '{ "answer" : "Line 1\\nsaid \\"hi\\" \\u00e9\\\\ done" }';
  const parser = new StructuredOutputParser("text");
  const events = feed(parser, output);
  expect(textOf(events)).toBe('Line 1\nsaid "hi" é\\ done');
  expect(new StructuredOutputParser("text").push(output).map((event) => event.type)).toEqual(["text"]);
  expect(parser.result()).toEqual({ kind: "answer", text: 'Line 1\nsaid "hi" é\\ done' });
});

test("a tool call streams its name first, then the raw input, then its end", () => {
  const output = '{"tool": "edit", "input": {"find": "a } b", "with": ["x", {"y": 1}]}}';
  const parser = new StructuredOutputParser("text");
  const events = feed(parser, output);
  expect(events[0]).toEqual({ type: "tool-start", toolName: "edit" });
  expect(events.at(-1)).toEqual({ type: "tool-end" });
  expect(JSON.parse(inputOf(events))).toEqual({ find: "a } b", with: ["x", { y: 1 }] });
  expect(parser.result()).toEqual({ kind: "tool", toolName: "edit", input: '{"find":"a } b","with":["x",{"y":1}]}' });
});

test("a JSON answer (with tools and a response schema) streams its raw JSON; a cut-off object is incomplete", () => {
  const parser = new StructuredOutputParser("json");
  expect(JSON.parse(textOf(feed(parser, '{"answer": {"title": "x", "n": 3}}')))).toEqual({ title: "x", n: 3 });
  const number = new StructuredOutputParser("json");
  expect(textOf(feed(number, '{"answer": 42}'))).toBe("42");
  const cut = new StructuredOutputParser("text");
  feed(cut, '{"answer": "unfinish');
  expect(cut.result()).toEqual({ kind: "incomplete" });
});

test("tool choice decides which alternatives the grammar allows", () => {
  const tools = [
    { type: "function" as const, name: "a", inputSchema: { type: "object" as const, properties: { q: { type: "string" as const } } } },
    { type: "function" as const, name: "b", inputSchema: { type: "object" as const } },
  ];
  const auto = outputMode({ tools });
  expect(auto.mode.kind === "structured" && (auto.mode.plan.schema as { oneOf: unknown[] }).oneOf.length).toBe(3);
  const required = outputMode({ tools, toolChoice: { type: "required" } });
  expect(required.mode.kind === "structured" && required.mode.plan.answer).toBe(null);
  const one = outputMode({ tools, toolChoice: { type: "tool", toolName: "b" } });
  expect(one.mode.kind === "structured" && one.mode.plan.tools).toEqual(["b"]);
  expect(outputMode({ tools, toolChoice: { type: "none" } }).mode.kind).toBe("text");
  expect(outputMode({ responseFormat: { type: "json" } }).mode).toMatchObject({ kind: "json", schema: null });
});

test("JSON Schema is narrowed to what a grammar can enforce: refs inlined, nullable as oneOf, allOf merged", () => {
  const schema = toGrammarSchema({
    type: "object",
    properties: {
      when: { type: "string", format: "date-time" },
      code: { type: "string", pattern: "^[A-Z]+$" },
      parent: { $ref: "#/definitions/node" },
      note: { anyOf: [{ type: "string" }, { type: "null" }] },
      both: { allOf: [{ type: "object", properties: { a: { type: "number" } }, required: ["a"] }, { type: "object", properties: { b: { type: "boolean" } } }] },
    },
    required: ["when", "missing"],
    definitions: { node: { type: "object", properties: { id: { type: "integer" } } } },
  });
  expect(schema).toEqual({
    type: "object",
    properties: {
      when: { type: "string", format: "date-time" },
      code: { type: "string" },
      parent: { type: "object", properties: { id: { type: "integer" } }, required: [], additionalProperties: false },
      note: { oneOf: [{ type: "string" }, { type: "null" }] },
      both: { type: "object", properties: { a: { type: "number" }, b: { type: "boolean" } }, required: ["a"], additionalProperties: false },
    },
    required: ["when"],
    additionalProperties: false,
  });
});

import type { JSONSchema7, LanguageModelV3CallOptions, LanguageModelV3FunctionTool, SharedV3Warning } from "@ai-sdk/provider";
import type { GbnfJsonSchema } from "node-llama-cpp";
import { toGrammarSchema } from "./json-schema-grammar.ts";

/**
 * How the embedded engine gets tool calls and JSON out of any instruct model: the output is
 * constrained by a grammar to one JSON object, either
 *   {"tool": "<name>", "input": {...the tool's input schema...}}   — a tool call, or
 *   {"answer": "<text>"}  (or {"answer": <value>} when a JSON answer is asked for),
 * and the model is told so in the system prompt. One tool call per step.
 */
export interface StructuredPlan {
  /** The grammar's schema. */
  schema: GbnfJsonSchema;
  /** Appended to the system prompt. */
  instructions: string;
  /** How the answer alternative is streamed: decoded string, raw JSON, or not allowed. */
  answer: "text" | "json" | null;
  tools: string[];
}

export type OutputMode =
  | { kind: "text" }
  /** JSON without tools: the grammar is the answer schema itself (`null`: any JSON value). */
  | { kind: "json"; schema: GbnfJsonSchema | null; instructions: string }
  | { kind: "structured"; plan: StructuredPlan };

/** Chooses how to constrain the output of one call (tools, tool choice, response format). */
export function outputMode(options: Pick<LanguageModelV3CallOptions, "tools" | "toolChoice" | "responseFormat">): { mode: OutputMode; warnings: SharedV3Warning[] } {
  const warnings: SharedV3Warning[] = [];
  const functionTools: LanguageModelV3FunctionTool[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type === "function") functionTools.push(tool);
    else warnings.push({ type: "unsupported", feature: `provider tool ${tool.name}`, details: "The local engine runs only function tools." });
  }
  const choice = options.toolChoice ?? { type: "auto" };
  const json = options.responseFormat?.type === "json" ? options.responseFormat : null;
  const jsonSchema = json?.schema ? toGrammarSchema(json.schema) : null;
  const jsonInstructions = json ? answerInstructions(json.schema, json.name, json.description) : "";

  let tools = choice.type === "none" ? [] : functionTools;
  if (choice.type === "tool") tools = functionTools.filter((tool) => tool.name === choice.toolName);
  if (tools.length === 0) {
    if (json) return { mode: { kind: "json", schema: jsonSchema, instructions: jsonInstructions }, warnings };
    return { mode: { kind: "text" }, warnings };
  }

  const answer = choice.type === "auto" ? (json ? "json" : "text") : null;
  const alternatives: GbnfJsonSchema[] = tools.map(
    (tool) =>
      ({
        type: "object",
        properties: { tool: { const: tool.name }, input: toGrammarSchema(tool.inputSchema) },
        required: ["tool", "input"],
        additionalProperties: false,
      }) as unknown as GbnfJsonSchema,
  );
  if (answer) {
    const value = answer === "json" ? (jsonSchema ?? toGrammarSchema(undefined)) : { type: "string" };
    alternatives.push({ type: "object", properties: { answer: value }, required: ["answer"], additionalProperties: false } as unknown as GbnfJsonSchema);
  }
  const toolList = tools
    .map((tool) => `- ${tool.name}${tool.description ? `: ${tool.description}` : ""}\n  input JSON schema: ${JSON.stringify(stripMeta(tool.inputSchema))}`)
    .join("\n");
  const instructions = [
    `You can call these tools:\n${toolList}`,
    "Reply with exactly one JSON object and nothing else:",
    `- to call a tool: {"tool": "<tool name>", "input": <input matching the tool's input schema>}`,
    answer === "text" ? `- to reply without a tool: {"answer": "<your reply>"}` : "",
    answer === "json" ? `- to reply without a tool: {"answer": <your reply as JSON>}\n${jsonInstructions}` : "",
    choice.type === "tool" ? `Call the tool ${choice.toolName}.` : choice.type === "required" ? "Call one of the tools." : "",
  ]
    .filter(Boolean)
    .join("\n");
  const schema = alternatives.length === 1 ? alternatives[0]! : ({ oneOf: alternatives } as unknown as GbnfJsonSchema);
  return { mode: { kind: "structured", plan: { schema, instructions, answer, tools: tools.map((tool) => tool.name) } }, warnings };
}

function answerInstructions(schema: JSONSchema7 | undefined, name?: string, description?: string): string {
  return [
    "Reply with JSON only.",
    name || description ? `The reply is ${[name, description].filter(Boolean).join(": ")}.` : "",
    schema ? `It must match this JSON schema: ${JSON.stringify(stripMeta(schema))}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function stripMeta(schema: JSONSchema7): JSONSchema7 {
  const { $schema: _, ...rest } = schema;
  return rest;
}

export type StructuredEvent =
  | { type: "text"; delta: string }
  | { type: "tool-start"; toolName: string }
  | { type: "tool-delta"; delta: string }
  | { type: "tool-end" };

export type StructuredResult =
  | { kind: "answer"; text: string }
  | { kind: "tool"; toolName: string; input: string }
  /** Cut off (token limit or abort) before the object was complete. */
  | { kind: "incomplete" };

const toolHead = /^\s*\{\s*"tool"\s*:\s*("(?:[^"\\]|\\.)*")\s*,\s*"input"\s*:\s*/;
const answerHead = /^\s*\{\s*"answer"\s*:\s*/;

/**
 * Reads the constrained output as it streams and turns it into text deltas (the answer) or
 * tool-input deltas (the raw JSON of the input), so that callers see a tool call's name as
 * soon as it is decided and its input as it is written.
 */
export class StructuredOutputParser {
  private buffer = "";
  private position = 0;
  private state: "head" | "string" | "value" | "tail" = "head";
  private target: "answer" | "tool" = "answer";
  private toolName = "";
  // value scanning
  private started = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private primitive = false;

  constructor(private readonly answer: "text" | "json" | null) {}

  push(chunk: string): StructuredEvent[] {
    this.buffer += chunk;
    const events: StructuredEvent[] = [];
    if (this.state === "head") this.readHead(events);
    if (this.state === "string") this.readString(events);
    if (this.state === "value") this.readValue(events);
    return events;
  }

  /** The call's outcome once the output has ended. */
  result(): StructuredResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.buffer);
    } catch {
      return { kind: "incomplete" };
    }
    const object = parsed as { tool?: unknown; input?: unknown; answer?: unknown };
    if (typeof object?.tool === "string") return { kind: "tool", toolName: object.tool, input: JSON.stringify(object.input ?? {}) };
    if (object && "answer" in object) return { kind: "answer", text: typeof object.answer === "string" && this.answer !== "json" ? object.answer : JSON.stringify(object.answer) };
    return { kind: "incomplete" };
  }

  private readHead(events: StructuredEvent[]) {
    const tool = toolHead.exec(this.buffer);
    if (tool) {
      this.target = "tool";
      this.toolName = JSON.parse(tool[1]!) as string;
      this.position = tool[0].length;
      this.state = "value";
      events.push({ type: "tool-start", toolName: this.toolName });
      return;
    }
    const answer = answerHead.exec(this.buffer);
    // Wait for the first character of the value, so trailing whitespace is not mistaken for it.
    if (answer && this.buffer.length > answer[0].length) {
      this.target = "answer";
      this.position = answer[0].length;
      this.state = this.answer === "json" ? "value" : "string";
    }
  }

  /** Decodes the answer string incrementally; stops before an incomplete escape. */
  private readString(events: StructuredEvent[]) {
    let text = "";
    let index = this.position;
    if (!this.started) {
      if (this.buffer[index] !== '"') return;
      this.started = true;
      index++;
    }
    while (index < this.buffer.length) {
      const char = this.buffer[index]!;
      if (char === '"') {
        this.state = "tail";
        index++;
        break;
      }
      if (char !== "\\") {
        text += char;
        index++;
        continue;
      }
      const next = this.buffer[index + 1];
      if (next === undefined) break;
      if (next === "u") {
        const hex = this.buffer.slice(index + 2, index + 6);
        if (hex.length < 4) break;
        text += String.fromCharCode(parseInt(hex, 16));
        index += 6;
        continue;
      }
      text += ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[next] ?? next;
      index += 2;
    }
    this.position = index;
    if (text) events.push({ type: "text", delta: text });
  }

  /** Passes the raw JSON of the value through until it is complete. */
  private readValue(events: StructuredEvent[]) {
    let raw = "";
    let index = this.position;
    for (; index < this.buffer.length; index++) {
      const char = this.buffer[index]!;
      if (!this.started) {
        if (/\s/.test(char)) continue;
        this.started = true;
        this.primitive = char !== "{" && char !== "[" && char !== '"';
      }
      if (this.primitive && !/[-+.\w]/.test(char)) {
        this.finishValue(events, raw);
        this.position = index;
        return;
      }
      raw += char;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (char === "\\") this.escaped = true;
        else if (char === '"') {
          this.inString = false;
          if (this.depth === 0) {
            this.position = index + 1;
            return this.finishValue(events, raw);
          }
        }
        continue;
      }
      if (char === '"') this.inString = true;
      else if (char === "{" || char === "[") this.depth++;
      else if (char === "}" || char === "]") {
        this.depth--;
        if (this.depth === 0) {
          this.position = index + 1;
          return this.finishValue(events, raw);
        }
      }
    }
    this.position = index;
    if (raw) events.push(this.target === "tool" ? { type: "tool-delta", delta: raw } : { type: "text", delta: raw });
  }

  private finishValue(events: StructuredEvent[], raw: string) {
    if (raw) events.push(this.target === "tool" ? { type: "tool-delta", delta: raw } : { type: "text", delta: raw });
    if (this.target === "tool") events.push({ type: "tool-end" });
    this.state = "tail";
  }
}

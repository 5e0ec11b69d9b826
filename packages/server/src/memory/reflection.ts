import { z } from "zod";
import type { MemoryKind, MemoryRow } from "../storage/memory-store.ts";

/** What reflection asks the model for. */
export const ReflectionOutput = z.object({
  style: z.array(z.string()).describe("Writing-style rules this person showed, one short sentence each"),
  facts: z.array(z.string()).describe("Facts about this person or their work that help next time, one short sentence each"),
});
export type ReflectionOutput = z.infer<typeof ReflectionOutput>;

/** One thing a person did, as reflection shows it to the model. */
export type Evidence =
  | { type: "edited"; at: string; runId: string; request: string; oldText: string; aiText: string; finalText: string }
  | { type: "rejected"; at: string; runId: string; request: string; oldText: string; aiText: string }
  | { type: "accepted"; at: string; runId: string; request: string; oldText: string; aiText: string }
  | { type: "rating"; at: string; runId: string; request: string; rating: "up" | "down" }
  | { type: "request"; at: string; runId: string | null; text: string };

/** Longest piece of a person's or the AI's text quoted to the model. */
const quoteLimit = 400;
/** Longest memory entry kept. */
export const entryLimit = 240;
/** New entries of each kind one reflection may add. */
const newPerKind = 8;

const quote = (text: string) => JSON.stringify(text.length > quoteLimit ? `${text.slice(0, quoteLimit)}…` : text);

export const reflectionSystemPrompt = [
  "You keep a short memory about one person who writes and codes with AI assistants, so that the assistants serve them better next time.",
  "From the evidence of their recent decisions and requests, write down:",
  "- style: durable rules about how they want text or code written (tone, length, wording, formatting, spelling, conventions);",
  "- facts: facts about them or their work that would help next time (their role, project, audience, languages, recurring topics).",
  "The strongest signal is a suggestion they edited before accepting it: compare the AI's text with what they changed it into. A rejection says what they do not want; an acceptance that they were content; thumbs are weak signals.",
  "Generalise (\"Prefers British spelling\", \"Keeps headings in sentence case\"); never copy passages. Only write what the evidence supports; a single unclear case supports nothing.",
  "Do not repeat what is already remembered (not even reworded). Each entry is one short sentence about the person in the third person.",
  `At most ${newPerKind} entries of each kind; empty lists are a fine answer.`,
  'Answer with JSON only: {"style": ["..."], "facts": ["..."]}.',
].join("\n");

/** The user message of a reflection: what is remembered already, then the evidence, oldest first. */
export function reflectionPrompt(existing: MemoryRow[], evidence: Evidence[]): string {
  const remembered = existing.length ? existing.map((entry) => `- [${entry.kind}] ${entry.text}`).join("\n") : "(nothing yet)";
  const lines = evidence.map((item, index) => `${index + 1}. ${describe(item)}`);
  return `Already remembered about this person:\n${remembered}\n\nWhat they did since the last reflection (oldest first):\n${lines.join("\n")}`;
}

function describe(item: Evidence): string {
  switch (item.type) {
    case "edited":
      return `Edited an AI suggestion, then accepted their version. They had asked: ${quote(item.request)}. The AI proposed ${quote(item.aiText)} in place of ${quote(item.oldText)}; they changed it into ${quote(item.finalText)}.`;
    case "rejected":
      return `Rejected an AI suggestion. They had asked: ${quote(item.request)}. The AI proposed ${quote(item.aiText)} in place of ${quote(item.oldText)}.`;
    case "accepted":
      return `Accepted an AI suggestion as it was. They had asked: ${quote(item.request)}. The AI proposed ${quote(item.aiText)} in place of ${quote(item.oldText)}.`;
    case "rating":
      return `Gave a thumbs ${item.rating} to the AI's answer to: ${quote(item.request)}.`;
    case "request":
      return `Asked an AI: ${quote(item.text)}.`;
  }
}

/** An entry as stored: one line, no list marker, at most `entryLimit` characters; null if nothing is left. */
export function cleanEntry(text: string): string | null {
  const line = text
    .replace(/\s+/g, " ")
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "")
    .trim();
  if (!line) return null;
  return line.length > entryLimit ? `${line.slice(0, entryLimit - 1)}…` : line;
}

/** What makes two entries the same: case, spacing and end punctuation do not count. */
export function entryKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s"'`“”‘’]+/g, " ")
    .replace(/[.!;:,\s]+$/, "")
    .trim();
}

/**
 * The new entries of a reflection: cleaned, capped per kind, and none that is already
 * remembered (of either kind) or given twice.
 */
export function newEntries(output: ReflectionOutput, existing: Pick<MemoryRow, "text">[]): { kind: MemoryKind; text: string }[] {
  const seen = new Set(existing.map((entry) => entryKey(entry.text)));
  const added: { kind: MemoryKind; text: string }[] = [];
  for (const [kind, texts] of [["style", output.style], ["fact", output.facts]] as const) {
    let count = 0;
    for (const raw of texts) {
      const text = cleanEntry(raw);
      if (!text || count >= newPerKind) continue;
      const key = entryKey(text);
      if (seen.has(key)) continue;
      seen.add(key);
      added.push({ kind, text });
      count++;
    }
  }
  return added;
}

/** The first words of the memory section (runs stored before it was kept apart are split at it). */
export const memoryHeading = "What you know about this person (";

/** The section later prompts carry; empty when nothing is remembered. At most `limitChars` long. */
export function memorySection(entries: Pick<MemoryRow, "kind" | "text">[], limitChars = 2000): string {
  if (entries.length === 0) return "";
  const lines = [`${memoryHeading}from their earlier work with AI in this workspace; their current request wins over it):`];
  let length = lines[0]!.length;
  const fits = (line: string) => length + 1 + line.length <= limitChars;
  for (const [kind, title] of [["style", "Style:"], ["fact", "Facts:"]] as const) {
    const items = entries.filter((entry) => entry.kind === kind).map((entry) => `- ${entry.text}`);
    if (items.length === 0 || !fits(`${title}\n${items[0]}`)) continue;
    lines.push(title);
    length += 1 + title.length;
    for (const item of items) {
      if (!fits(item)) break;
      lines.push(item);
      length += 1 + item.length;
    }
  }
  return lines.join("\n");
}

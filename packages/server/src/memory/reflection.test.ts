import { describe, expect, test } from "vitest";
import { cleanEntry, entryKey, entryLimit, memorySection, newEntries, reflectionPrompt } from "./reflection.ts";

describe("merging reflection output into memory", () => {
  test("drops duplicates of what is remembered and within the answer, whatever the case, spacing, list marker or end punctuation", () => {
    const existing = [{ text: "Prefers short sentences." }];
    const added = newEntries(
      { style: ["- prefers SHORT   sentences", "Uses British spelling.", "uses british spelling!", "  "], facts: ["1. Works on billing.", "Prefers short sentences"] },
      existing,
    );
    expect(added).toEqual([
      { kind: "style", text: "Uses British spelling." },
      { kind: "fact", text: "Works on billing." },
    ]);
  });

  test("caps each kind per reflection and the length of an entry", () => {
    const added = newEntries({ style: Array.from({ length: 20 }, (_, index) => `Rule ${index}.`), facts: ["x".repeat(1000)] }, []);
    expect(added.filter((entry) => entry.kind === "style")).toHaveLength(8);
    const fact = added.find((entry) => entry.kind === "fact")!;
    expect(fact.text.length).toBe(entryLimit);
    expect(fact.text.endsWith("…")).toBe(true);
  });

  test("entries are one line", () => {
    expect(cleanEntry("Likes\n\nshort\tlines.")).toBe("Likes short lines.");
    expect(cleanEntry("* ")).toBeNull();
    expect(entryKey("“Quoted” rule.")).toBe(entryKey('"quoted" rule'));
  });
});

describe("the prompt section", () => {
  test("is empty without memory, else style then facts under one header, within its size", () => {
    expect(memorySection([])).toBe("");
    const section = memorySection([
      { kind: "fact", text: "Leads payments." },
      { kind: "style", text: "Short sentences." },
    ]);
    expect(section).toBe(
      "What you know about this person (from their earlier work with AI in this workspace; their current request wins over it):\nStyle:\n- Short sentences.\nFacts:\n- Leads payments.",
    );
    const long = memorySection(Array.from({ length: 30 }, (_, index) => ({ kind: "style" as const, text: `Rule number ${index} ${"y".repeat(100)}` })), 600);
    expect(long.length).toBeLessThanOrEqual(600);
    expect(long).toContain("- Rule number 0");
  });
});

describe("the reflection prompt", () => {
  test("quotes the person's edit beside the AI's text, and says what is remembered", () => {
    const prompt = reflectionPrompt(
      [{ id: "m1", userId: "u", workspaceId: "w", kind: "style", text: "Short sentences.", sourceRunId: null, createdAt: "", updatedAt: "" }],
      [
        { type: "edited", at: "1", runId: "r", request: "Tighten", oldText: "very big", aiText: "huge", finalText: "large" },
        { type: "request", at: "2", runId: null, text: "Translate to French" },
      ],
    );
    expect(prompt).toContain("- [style] Short sentences.");
    expect(prompt).toContain('1. Edited an AI suggestion, then accepted their version. They had asked: "Tighten". The AI proposed "huge" in place of "very big"; they changed it into "large".');
    expect(prompt).toContain('2. Asked an AI: "Translate to French".');
  });
});

import { describe, expect, test } from "vitest";
import type { CountedFeedbackRow } from "../storage/feedback-store.ts";
import { exportDate, exportFilter, recordsFor } from "./preference-export.ts";

const row = (kind: CountedFeedbackRow["kind"], fields: Partial<CountedFeedbackRow> = {}): CountedFeedbackRow => ({
  feedbackId: 1,
  kind,
  userId: "u1",
  finalText: null,
  decidedAt: "2025-01-02T00:00:00.000Z",
  canvasId: "c1",
  workspaceId: "w1",
  run: {
    id: "r1",
    userId: "u0",
    agent: "Assistant",
    agentId: "builtin:assistant",
    provider: "openai",
    model: "gpt-4.1-mini",
    instruction: "Shorter",
    quickAction: "shorter",
    prompt: JSON.stringify({ system: "S", messages: [{ role: "user", content: "M" }] }),
    toolCalls: "[]",
    createdAt: "2025-01-01T00:00:00.000Z",
  },
  suggestion: { id: "s1", target: "doc", oldText: "old words", newText: "ai words", createdAt: "2025-01-01T00:00:01.000Z" },
  ...fields,
});

describe("records", () => {
  test("accepted: one SFT example whose completion is the AI's text", () => {
    const [record, ...rest] = recordsFor(row("accepted"));
    expect(rest).toEqual([]);
    expect(record).toEqual({
      type: "sft",
      prompt: { system: "S", messages: [{ role: "user", content: "M" }] },
      target: "doc",
      old_text: "old words",
      completion: "ai words",
      provenance: {
        run_id: "r1",
        suggestion_id: "s1",
        canvas_id: "c1",
        workspace_id: "w1",
        agent: "Assistant",
        agent_id: "builtin:assistant",
        provider: "openai",
        model: "gpt-4.1-mini",
        user_id: "u1",
        requested_by: "u0",
        decision: "accepted",
        instruction: "Shorter",
        quick_action: "shorter",
        created_at: "2025-01-01T00:00:01.000Z",
        decided_at: "2025-01-02T00:00:00.000Z",
      },
    });
  });

  test("edited: an SFT example with the person's text, and their text chosen over the AI's", () => {
    const records = recordsFor(row("edited", { finalText: "my words" }));
    expect(records.map((record) => record.type)).toEqual(["sft", "preference"]);
    expect(records[0]).toMatchObject({ completion: "my words" });
    expect(records[1]).toMatchObject({ old_text: "old words", chosen: "my words", rejected: "ai words" });
    // An "edit" that changed nothing prefers nothing.
    expect(recordsFor(row("edited", { finalText: "ai words" })).map((record) => record.type)).toEqual(["sft"]);
  });

  test("rejected: the kept text chosen over the AI's (an empty insertion point included)", () => {
    expect(recordsFor(row("rejected"))).toEqual([expect.objectContaining({ type: "preference", chosen: "old words", rejected: "ai words" })]);
    const insertion = row("rejected", { suggestion: { id: "s2", target: "main.py", oldText: "", newText: "# note\n", createdAt: "t" } });
    expect(recordsFor(insertion)).toEqual([expect.objectContaining({ target: "main.py", chosen: "", rejected: "# note\n" })]);
  });

  test("thumbs: a rating of the run with its tool calls", () => {
    const rated = row("thumbs_down", { suggestion: null, run: { ...row("accepted").run, toolCalls: '[{"name":"replace","input":{},"result":"ok"}]' } });
    expect(recordsFor(rated)).toEqual([
      expect.objectContaining({ type: "rating", rating: "down", tool_calls: [{ name: "replace", input: {}, result: "ok" }], provenance: expect.objectContaining({ suggestion_id: null, created_at: "2025-01-01T00:00:00.000Z" }) }),
    ]);
  });
});

describe("filters", () => {
  test("a bare date covers its whole day; timestamps are taken as they are", () => {
    expect(exportDate("2025-03-01", "from")).toBe("2025-03-01T00:00:00.000Z");
    expect(exportDate("2025-03-01", "to")).toBe("2025-03-02T00:00:00.000Z");
    expect(exportDate("2025-03-01T10:00:00+02:00", "to")).toBe("2025-03-01T08:00:00.000Z");
    expect(() => exportDate("March", "from")).toThrow(/is not a date/);
  });

  test("empty options mean any; from must come before to", () => {
    expect(exportFilter({ workspaceId: "", model: " m ", agent: null })).toEqual({ model: "m" });
    expect(() => exportFilter({ from: "2025-03-02", to: "2025-03-01" })).toThrow(/before/);
  });
});

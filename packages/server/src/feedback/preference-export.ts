import { ApiError } from "@cocanvas/protocol";
import { parseStoredPrompt, systemWithMemory } from "../ai/run-prompt.ts";
import type { CountedFeedbackRow, FeedbackFilter, FeedbackStore } from "../storage/feedback-store.ts";

/** What the model was sent for the run: its system prompt and messages. */
export interface ExportPrompt {
  system: string;
  messages: unknown[];
}

/** Where a record comes from and who made the decision in it. */
export interface ExportProvenance {
  run_id: string;
  /** null for ratings (they are about a whole run). */
  suggestion_id: string | null;
  canvas_id: string;
  workspace_id: string;
  agent: string;
  agent_id: string | null;
  provider: string;
  model: string;
  /** Who decided (accepted, edited, rejected) or rated. */
  user_id: string | null;
  /** Who asked for the run. */
  requested_by: string | null;
  /** The decision the record stands for. */
  decision: "accepted" | "edited" | "rejected" | "thumbs_up" | "thumbs_down";
  instruction: string;
  quick_action: string | null;
  /** When the AI made the suggestion (ratings: when the run started). */
  created_at: string;
  /** When the decision was made. */
  decided_at: string;
}

/**
 * The suggestion's context: the run's prompt is what the model saw; `target` ("doc" or a
 * code file's path) and `old_text` name the exact text the completion replaces (empty
 * for an insertion). A completion is the replacement text, not a whole document.
 */
interface SuggestionContext {
  prompt: ExportPrompt;
  target: string;
  old_text: string;
}

/** A suggestion someone accepted (as it was, or after editing it): the accepted text is the completion. */
export interface SftRecord extends SuggestionContext {
  type: "sft";
  completion: string;
  provenance: ExportProvenance;
}

/** A person's edit is chosen over the AI's text; a rejection chooses the text that was kept. */
export interface PreferenceRecord extends SuggestionContext {
  type: "preference";
  chosen: string;
  rejected: string;
  provenance: ExportProvenance;
}

/** A thumb on a run: it pairs with nothing, so it stays a rating of what the run did. */
export interface RatingRecord {
  type: "rating";
  prompt: ExportPrompt;
  rating: "up" | "down";
  /** The run's tool calls (edits) and their results: what was rated. */
  tool_calls: unknown[];
  provenance: ExportProvenance;
}

export type ExportRecord = SftRecord | PreferenceRecord | RatingRecord;

/** The prompt as the model saw it, memory section included (the export is for admins). */
function promptOf(json: string): ExportPrompt {
  const prompt = parseStoredPrompt(json);
  return { system: systemWithMemory(prompt), messages: prompt.messages };
}

function parseJsonArray(json: string): unknown[] {
  try {
    const parsed = JSON.parse(json);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * The records one piece of counted feedback yields:
 * - accepted → sft (completion = the AI's text);
 * - edited → sft (completion = the person's text) and preference (chosen = the person's text, rejected = the AI's);
 * - rejected → preference (chosen = the text that was kept, rejected = the AI's);
 * - thumbs → rating.
 */
export function recordsFor(row: CountedFeedbackRow): ExportRecord[] {
  const { run, suggestion } = row;
  const provenance: ExportProvenance = {
    run_id: run.id,
    suggestion_id: suggestion?.id ?? null,
    canvas_id: row.canvasId,
    workspace_id: row.workspaceId,
    agent: run.agent,
    agent_id: run.agentId,
    provider: run.provider,
    model: run.model,
    user_id: row.userId,
    requested_by: run.userId,
    decision: row.kind,
    instruction: run.instruction,
    quick_action: run.quickAction,
    created_at: suggestion?.createdAt ?? run.createdAt,
    decided_at: row.decidedAt,
  };
  const prompt = promptOf(run.prompt);
  if (row.kind === "thumbs_up" || row.kind === "thumbs_down") {
    return [{ type: "rating", prompt, rating: row.kind === "thumbs_up" ? "up" : "down", tool_calls: parseJsonArray(run.toolCalls), provenance }];
  }
  if (!suggestion) return [];
  const context = { prompt, target: suggestion.target, old_text: suggestion.oldText };
  switch (row.kind) {
    case "accepted":
      return [{ type: "sft", ...context, completion: suggestion.newText, provenance }];
    case "edited": {
      const finalText = row.finalText ?? suggestion.newText;
      const records: ExportRecord[] = [{ type: "sft", ...context, completion: finalText, provenance }];
      // An "edit" that left the AI's text as it was prefers nothing.
      if (finalText !== suggestion.newText) records.push({ type: "preference", ...context, chosen: finalText, rejected: suggestion.newText, provenance });
      return records;
    }
    case "rejected":
      if (suggestion.oldText === suggestion.newText) return [];
      return [{ type: "preference", ...context, chosen: suggestion.oldText, rejected: suggestion.newText, provenance }];
  }
}

/** Every record the filter selects, oldest decision first, read a page at a time. `onProgress` counts feedback rows. */
export async function* exportFeedback(
  store: FeedbackStore,
  filter: FeedbackFilter,
  options: { pageSize?: number; onProgress?: (done: number, total: number) => void } = {},
): AsyncGenerator<ExportRecord> {
  const pageSize = options.pageSize ?? 500;
  const total = options.onProgress ? await store.count(filter) : 0;
  let afterId = 0;
  let done = 0;
  options.onProgress?.(0, total);
  for (;;) {
    const rows = await store.page(filter, afterId, pageSize);
    for (const row of rows) yield* recordsFor(row);
    done += rows.length;
    options.onProgress?.(done, Math.max(total, done));
    if (rows.length < pageSize) return;
    afterId = rows.at(-1)!.feedbackId;
  }
}

/** One record per line. */
export const jsonLine = (record: ExportRecord) => `${JSON.stringify(record)}\n`;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date bound of the export as an ISO timestamp. A bare date (YYYY-MM-DD, UTC) covers
 * the whole day: `from` starts at its first moment, `to` ends after its last.
 */
export function exportDate(value: string, edge: "from" | "to"): string {
  const trimmed = value.trim();
  const parsed = dateOnly.test(trimmed) ? new Date(`${trimmed}T00:00:00.000Z`) : new Date(trimmed);
  if (Number.isNaN(parsed.getTime())) throw new ApiError("invalid_request", `"${value}" is not a date (use YYYY-MM-DD or an ISO timestamp).`);
  if (dateOnly.test(trimmed) && edge === "to") parsed.setUTCDate(parsed.getUTCDate() + 1);
  return parsed.toISOString();
}

/** The export filter from loosely given options (query string, CLI flags); empty values mean "any". */
export function exportFilter(options: { workspaceId?: string | null; from?: string | null; to?: string | null; model?: string | null; agent?: string | null }): FeedbackFilter {
  const filter: FeedbackFilter = {};
  if (options.workspaceId?.trim()) filter.workspaceId = options.workspaceId.trim();
  if (options.from?.trim()) filter.from = exportDate(options.from, "from");
  if (options.to?.trim()) filter.to = exportDate(options.to, "to");
  if (options.model?.trim()) filter.model = options.model.trim();
  if (options.agent?.trim()) filter.agent = options.agent.trim();
  if (filter.from && filter.to && filter.from >= filter.to) throw new ApiError("invalid_request", "`from` must be before `to`.");
  return filter;
}

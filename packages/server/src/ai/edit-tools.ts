import { beginSuggestion, suggestionTextView, type SuggestionTarget, type SuggestionWriter } from "@cocanvas/content";
import { tool, type ToolSet } from "ai";
import type * as Y from "yjs";
import { z } from "zod";
import { StreamingToolInput } from "./streaming-tool-input.ts";

/**
 * The model edits through three tools that name exact targets — never by rewriting the
 * canvas. Each call becomes a suggestion that streams into the shared document while the
 * model is still producing it: as soon as the target text is complete it is located
 * (inside the selection, in the text as it is *now*, since people keep typing), and the
 * new text is appended token by token.
 */
export type EditToolName = "replace" | "insert" | "delete";

const toolFields: Record<EditToolName, { target: string; text: string | null }> = {
  replace: { target: "find", text: "replace" },
  insert: { target: "after", text: "text" },
  delete: { target: "find", text: null },
};

export interface EditScope {
  doc: Y.Doc;
  target: SuggestionTarget;
  runId: string;
  agent: { name: string; color: string };
  /** The transaction origin of the agent's changes. */
  origin: object;
  /** Where the model may edit now, in the target's text (the selection, re-resolved), or null for all of it. */
  range(): { from: number; to: number } | null;
  /** Told where a call's target is, as soon as it is located (the agent's cursor goes there). */
  onLocate?(from: number, to: number): void;
  /** Told when a call's suggestion appears and when it is final. */
  onSuggestion(event: { id: string; call: EditCall; final: boolean; status: string }): void;
}

/** One tool call of the model, from its first streamed byte to its result. */
export class EditCall {
  readonly input = new StreamingToolInput();
  writer: SuggestionWriter | null = null;
  oldText = "";
  newText = "";
  /** Why the call could not become a suggestion (told to the model so it can retry). */
  error: string | null = null;
  finished = false;

  constructor(
    readonly id: string,
    readonly tool: EditToolName,
    private readonly scope: EditScope,
  ) {}

  /** Takes the next streamed piece of the call's arguments. */
  push(delta: string): void {
    if (this.finished) return;
    this.input.push(delta);
    const fields = toolFields[this.tool];
    const target = this.input.field(fields.target);
    if (!this.writer && !this.error && target?.complete) this.locate(target.value);
    const text = fields.text ? this.input.field(fields.text) : undefined;
    if (this.writer && text) this.appendUpTo(text.value);
  }

  /** The call is complete and valid: makes sure the suggestion holds exactly its input, and ends it. */
  complete(input: Record<string, string>, applyDirectly: boolean, decidedBy: { id: string | null; name: string }): string {
    if (this.finished) return this.result();
    const fields = toolFields[this.tool];
    if (!this.writer && !this.error) this.locate(input[fields.target] ?? "");
    if (this.writer && fields.text) {
      const text = input[fields.text] ?? "";
      if (!text.startsWith(this.newText)) this.error = "the streamed text did not match the final call";
      else this.appendUpTo(text);
    }
    this.finished = true;
    if (this.writer) {
      if (this.error) this.writer.finish("stopped");
      else if (applyDirectly) this.writer.apply(decidedBy);
      else this.writer.finish("pending");
      this.scope.onSuggestion({ id: this.writer.id, call: this, final: true, status: this.writer.status() });
    }
    return this.result();
  }

  /** Stopped by a person: what arrived stays as a partial suggestion. */
  stop(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.writer) {
      this.writer.finish("stopped");
      this.scope.onSuggestion({ id: this.writer.id, call: this, final: true, status: this.writer.status() });
    }
  }

  /** The call was malformed or the run failed: the suggestion goes away. */
  discard(reason: string): void {
    this.finished = true;
    this.error ??= reason;
    if (this.writer) {
      this.writer.remove();
      this.scope.onSuggestion({ id: this.writer.id, call: this, final: true, status: "discarded" });
      this.writer = null;
    }
  }

  /** What the model is told about this call. */
  result(): string {
    if (this.error) return `Error: ${this.error}. Nothing was changed by this call.`;
    if (!this.writer) return "Error: the call never completed. Nothing was changed.";
    return `Done: suggestion ${this.writer.id} is waiting for review.`;
  }

  private locate(targetText: string): void {
    const { doc, target } = this.scope;
    const view = suggestionTextView(doc, target);
    const range = this.scope.range();
    let from: number;
    if (this.tool === "insert" && targetText === "") {
      from = range?.from ?? 0;
    } else {
      const found = locatePassage(view.text, range, targetText, toolFields[this.tool].target);
      if ("error" in found) {
        this.error = found.error;
        return;
      }
      from = found.at;
    }
    const replaced = this.tool === "insert" ? 0 : targetText.length;
    if (this.tool === "insert") from += targetText.length;
    this.oldText = view.text.slice(from, from + replaced);
    this.scope.onLocate?.(from, from + replaced);
    this.writer = beginSuggestion(doc, { target, from, to: from + replaced, runId: this.scope.runId, agent: this.scope.agent }, this.scope.origin);
    this.scope.onSuggestion({ id: this.writer.id, call: this, final: false, status: "streaming" });
  }

  private appendUpTo(text: string): void {
    if (text.length <= this.newText.length) return;
    const delta = text.slice(this.newText.length);
    this.newText = text;
    this.writer!.append(delta);
  }
}

/**
 * Where `passage` is in the part of `text` the model may work on (`range`, or all of it):
 * it must be there exactly once, or the model is told why not (so it can correct itself).
 */
export function locatePassage(text: string, range: { from: number; to: number } | null, passage: string, field: string): { at: number } | { error: string } {
  const start = range?.from ?? 0;
  const scoped = text.slice(start, range?.to ?? text.length);
  const at = passage ? scoped.indexOf(passage) : -1;
  if (at < 0) return { error: `\`${field}\` was not found ${range ? "in the selection" : "in the text"}; copy it exactly` };
  if (scoped.indexOf(passage, at + 1) >= 0) return { error: `\`${field}\` occurs more than once; include more words so it occurs once` };
  return { at: start + at };
}

const exact = (what: string) => z.string().describe(`${what}, copied exactly from the text`);

type Execute = (tool: EditToolName, input: Record<string, string>, toolCallId: string) => string | Promise<string>;

/**
 * The edit tools as the AI SDK sees them; `execute` ends the call that streamed in. With
 * `threads`, each edit may name the comment thread it answers (`threadId`, last, so the
 * text fields stream first).
 */
export function editTools(execute: Execute, options: { threads?: boolean } = {}): ToolSet {
  const thread = options.threads ? { threadId: z.string().optional().describe("The id of the comment thread this edit answers, if any") } : {};
  return {
    replace: tool({
      description: "Replace one exact passage with new text (a suggestion the people review).",
      inputSchema: z.object({ find: exact("The passage to replace"), replace: z.string().describe("The new text"), ...thread }),
      execute: async (input, { toolCallId }) => execute("replace", input as Record<string, string>, toolCallId),
    }),
    insert: tool({
      description: "Insert new text right after an exact passage; an empty `after` inserts at the start of the part you may edit.",
      inputSchema: z.object({ after: z.string().describe("The passage to insert after, copied exactly; empty for the start"), text: z.string().describe("The text to insert"), ...thread }),
      execute: async (input, { toolCallId }) => execute("insert", input as Record<string, string>, toolCallId),
    }),
    delete: tool({
      description: "Delete one exact passage.",
      inputSchema: z.object({ find: exact("The passage to delete"), ...thread }),
      execute: async (input, { toolCallId }) => execute("delete", input as Record<string, string>, toolCallId),
    }),
  };
}

export function isEditTool(name: string): name is EditToolName {
  return name === "replace" || name === "insert" || name === "delete";
}

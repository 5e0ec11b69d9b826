import {
  aiAppliesDirectly,
  appendChatMessage,
  findChatMessage,
  languageForPath,
  resolveSuggestionRange,
  suggestionTextView,
  type ChatAuthor,
  type SuggestionTarget,
} from "@cocanvas/content";
import { ApiError, builtinQuickActions, quickActionInstruction, type AiSelection, type QuickAction } from "@cocanvas/protocol";
import { stepCountIs, streamText, type ModelMessage } from "ai";
import * as Y from "yjs";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { ModelResolver, ResolvedModel } from "../models/model-resolver.ts";
import type { AiRunRow, AiStore } from "../storage/ai-store.ts";
import type { CanvasRow } from "../storage/storage.ts";
import { systemPrompt, userPrompt } from "./canvas-prompt.ts";
import { EditCall, editTools, isEditTool, type EditScope } from "./edit-tools.ts";
import { describeModelError } from "./model-errors.ts";

/** The built-in agent of the co-editing runtime (issue #4 adds personas). */
export const assistant = { name: "Assistant", color: "#7c3aed" } as const;
const assistantAuthor: ChatAuthor = { id: null, name: assistant.name, color: assistant.color, kind: "agent" };

/** A canvas document held open by a server-side peer. */
export interface OpenDocument {
  document: Y.Doc;
  release(): Promise<void>;
}

export interface CoEditorDeps {
  models: ModelResolver;
  store: AiStore;
  logger: Logger;
  openDocument(canvasId: string): Promise<OpenDocument>;
  timeoutSeconds: number;
  /** Model round trips per run (edit, read the tool results, edit again…). */
  maxSteps?: number;
}

export interface RunRequest {
  canvas: CanvasRow;
  user: { id: string; name: string; color: string };
  instruction?: string;
  quickAction?: { id: string; param?: string };
  selection?: AiSelection;
  path?: string;
  model?: string;
}

interface ActiveRun {
  controller: AbortController;
  canvasId: string;
  stoppedBy: string | null;
  done: Promise<void>;
}

/**
 * Runs a model on a canvas as a server-side peer of the live document: the request and
 * the reply go into the canvas chat, edits stream in as suggestions anchored to the
 * text, and the run's provenance (model, prompt, tool calls, tokens, timing) is stored.
 */
export class CoEditor {
  private readonly active = new Map<string, ActiveRun>();

  constructor(private readonly deps: CoEditorDeps) {}

  /** Starts a run and returns at once; the reply streams into the canvas. */
  async start(request: RunRequest): Promise<{ runId: string; messageId: string }> {
    const { canvas } = request;
    const action = request.quickAction ? await this.quickAction(request.quickAction.id, request) : null;
    const instruction = action ? [quickActionInstruction(action, request.quickAction?.param), request.instruction].filter(Boolean).join("\n") : request.instruction!;
    const model = await this.deps.models.resolve({ override: request.model ?? null, workspaceId: canvas.workspaceId });
    const opened = await this.deps.openDocument(canvas.id);
    try {
      const doc = opened.document;
      const target = this.targetOf(canvas, doc, request);
      const anchors = request.selection ? { from: decode(request.selection.from), to: decode(request.selection.to) } : null;
      if (anchors && !resolveSuggestionRange(doc, target, anchors.from, anchors.to)) throw new ApiError("conflict", "The selected text no longer exists; select it again.");

      const runId = newId();
      const messageId = newId();
      const now = new Date().toISOString();
      const label = action ? `${action.label}${request.quickAction?.param ? ` (${request.quickAction.param})` : ""}${request.instruction ? `: ${request.instruction}` : ""}` : instruction;
      doc.transact(() => {
        appendChatMessage(doc, { id: newId(), role: "user", author: { id: request.user.id, name: request.user.name, color: request.user.color, kind: "person" }, text: label, runId, status: "done", createdAt: now });
        appendChatMessage(doc, { id: messageId, role: "assistant", author: assistantAuthor, text: "", runId, status: "streaming", createdAt: now });
      }, this.origin(runId));

      const controller = new AbortController();
      const run: ActiveRun = { controller, canvasId: canvas.id, stoppedBy: null, done: Promise.resolve() };
      this.active.set(runId, run);
      run.done = this.execute({ runId, messageId, request, instruction, action, model, doc, target, anchors, controller })
        .catch((error) => this.deps.logger.error({ err: error, runId }, "AI run crashed"))
        .finally(() => {
          this.active.delete(runId);
          void opened.release();
        });
      return { runId, messageId };
    } catch (error) {
      await opened.release();
      throw error;
    }
  }

  /** Stops a streaming run; what arrived stays as partial suggestions. Returns false if it is not running. */
  stop(runId: string, userId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.stoppedBy = userId;
    run.controller.abort(new StopRequested());
    return true;
  }

  isRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Stops every run (server shutdown) and waits for them to record how they ended. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(new StopRequested());
    await Promise.all(runs.map((run) => run.done));
  }

  /** Waits for a run to end (tests, benchmarks). */
  async settled(runId: string): Promise<void> {
    await this.active.get(runId)?.done;
  }

  private async quickAction(id: string, request: RunRequest): Promise<QuickAction> {
    const builtin = builtinQuickActions.find((action) => action.id === id);
    if (builtin) return builtin;
    const saved = await this.deps.store.getQuickAction(id);
    const visible = saved && (saved.userId === request.user.id || saved.workspaceId === request.canvas.workspaceId);
    if (!saved || !visible) throw new ApiError("not_found", `There is no quick action "${id}".`);
    return { id: saved.id, label: saved.name, prompt: saved.prompt, canvasKind: saved.canvasKind, source: saved.userId ? "user" : "workspace" };
  }

  private targetOf(canvas: CanvasRow, doc: Y.Doc, request: RunRequest): SuggestionTarget {
    if (canvas.kind === "doc") return { kind: "doc" };
    const path = request.selection?.path ?? request.path;
    if (!path) throw new ApiError("invalid_request", "Name the code file to work on (`path`, or `selection.path`).");
    const files = doc.getMap<Y.Map<unknown>>("files");
    const exists = [...files.values()].some((file) => file.get("path") === path);
    if (!exists) throw new ApiError("not_found", `The canvas has no file "${path}".`);
    return { kind: "code", path };
  }

  private origin(runId: string): object {
    return { agentRun: runId };
  }

  private async execute(run: {
    runId: string;
    messageId: string;
    request: RunRequest;
    instruction: string;
    action: QuickAction | null;
    model: ResolvedModel;
    doc: Y.Doc;
    target: SuggestionTarget;
    anchors: { from: Uint8Array; to: Uint8Array } | null;
    controller: AbortController;
  }): Promise<void> {
    const { runId, doc, target, anchors, model, request } = run;
    const { store, timeoutSeconds } = this.deps;
    const startedAt = performance.now();
    const origin = this.origin(runId);
    const message = findChatMessage(doc, run.messageId)!;
    const replyText = message.get("text") as Y.Text;
    const suggestionIds = message.get("suggestionIds") as Y.Array<string>;

    const view = suggestionTextView(doc, target);
    const scopeNow = () => (anchors ? resolveSuggestionRange(doc, target, anchors.from, anchors.to) : null);
    const prompt = userPrompt({
      title: request.canvas.title,
      target: target.kind === "doc" ? target : { ...target, language: languageForPath(target.path) },
      text: view.text,
      scope: scopeNow(),
      instruction: run.instruction,
    });
    const messages: ModelMessage[] = [{ role: "user", content: prompt }];
    await store.createRun({
      id: runId,
      canvasId: request.canvas.id,
      userId: request.user.id,
      agent: assistant.name,
      provider: model.provider,
      model: model.modelId,
      instruction: run.instruction,
      quickAction: run.action?.id ?? null,
      prompt: JSON.stringify({ system: systemPrompt, messages }),
      createdAt: new Date().toISOString(),
    });

    const calls = new Map<string, EditCall>();
    const toolCalls: AiRunRow["toolCalls"] = [];
    const pendingSaves: Promise<void>[] = [];
    const decidedBy = { id: request.user.id, name: request.user.name };
    const scope: EditScope = {
      doc,
      target,
      runId,
      agent: assistant,
      origin,
      range: scopeNow,
      onSuggestion: ({ id, call, final, status }) => {
        if (!final) {
          doc.transact(() => suggestionIds.push([id]), origin);
          return;
        }
        pendingSaves.push(
          store.saveSuggestion({
            id,
            runId,
            canvasId: request.canvas.id,
            target: target.kind === "doc" ? "doc" : target.path,
            oldText: call.oldText,
            newText: call.newText,
            status,
          }),
        );
      },
    };
    const callFor = (id: string, name: string) => {
      let call = calls.get(id);
      if ((!call || call.finished) && isEditTool(name)) calls.set(id, (call = new EditCall(id, name, scope)));
      return call;
    };

    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    const signal = AbortSignal.any([run.controller.signal, timeout]);
    let firstTokenMs: number | null = null;
    const sawToken = () => (firstTokenMs ??= Math.round(performance.now() - startedAt));
    let usage = { inputTokens: undefined as number | undefined, outputTokens: undefined as number | undefined };
    const notes: string[] = [];
    let failure: unknown = null;

    try {
      const result = streamText({
        model: model.model,
        system: systemPrompt,
        messages,
        tools: editTools((tool, input, toolCallId) => {
          const call = callFor(toolCallId, tool)!;
          const outcome = call.complete(input, aiAppliesDirectly(doc), decidedBy);
          toolCalls.push({ name: tool, input, result: outcome });
          return outcome;
        }),
        stopWhen: stepCountIs(this.deps.maxSteps ?? 8),
        abortSignal: signal,
        maxRetries: 1,
      });
      for await (const part of result.fullStream) {
        switch (part.type) {
          case "text-delta":
            sawToken();
            doc.transact(() => replyText.insert(replyText.length, part.text), origin);
            break;
          case "tool-input-start":
            sawToken();
            if (isEditTool(part.toolName)) calls.set(part.id, new EditCall(part.id, part.toolName, scope));
            break;
          case "tool-input-delta":
            sawToken();
            calls.get(part.id)?.push(part.delta);
            break;
          case "tool-error": {
            const call = calls.get(part.toolCallId);
            const reason = `the model's ${part.toolName} call was malformed (${String(part.error).split("\n")[0]}) and was discarded`;
            call?.discard(reason);
            toolCalls.push({ name: part.toolName, input: part.input, result: `Error: ${reason}` });
            notes.push(`The model's ${part.toolName} edit was malformed and was discarded.`);
            break;
          }
          case "finish":
            usage = { inputTokens: part.totalUsage.inputTokens, outputTokens: part.totalUsage.outputTokens };
            break;
          case "error":
            throw part.error;
          case "abort":
            throw signal.reason ?? new StopRequested();
        }
      }
    } catch (error) {
      failure = error;
    }

    const stopped = failure !== null && run.controller.signal.aborted && !timeout.aborted;
    const timedOut = failure !== null && timeout.aborted;
    let status: AiRunRow["status"] = "done";
    let errorText: string | null = null;
    if (stopped) {
      status = "stopped";
      for (const call of calls.values()) call.stop();
    } else if (failure !== null) {
      status = "failed";
      errorText = describeModelError(failure, timeoutSeconds, timedOut);
      for (const call of calls.values()) call.discard("the run failed");
      this.deps.logger.warn({ runId, provider: model.provider, model: model.modelId, err: failure instanceof Error ? failure.message : String(failure) }, "AI run failed");
    } else {
      // A call whose arguments never completed (the model ended mid-call).
      for (const call of calls.values()) if (!call.finished) call.discard("the call never completed");
    }

    doc.transact(() => {
      if (status === "failed") message.set("error", errorText);
      else if (notes.length) message.set("error", notes.join(" "));
      if (status === "done" && replyText.length === 0) replyText.insert(0, suggestionIds.length ? "I suggested the changes above." : "I made no changes.");
      message.set("status", status === "done" ? "done" : status);
    }, origin);

    await Promise.all(pendingSaves);
    await store.finishRun(runId, {
      status,
      error: errorText,
      tokensIn: usage.inputTokens ?? null,
      tokensOut: usage.outputTokens ?? null,
      firstTokenMs,
      latencyMs: Math.round(performance.now() - startedAt),
      toolCalls,
    });
  }
}

class StopRequested extends Error {
  constructor() {
    super("stopped by a participant");
    this.name = "StopRequested";
  }
}

function decode(base64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(base64, "base64"));
}

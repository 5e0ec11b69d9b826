import {
  aiAppliesDirectly,
  appendChatMessage,
  linkSuggestionToThread,
  findChatMessage,
  languageForPath,
  resolveSuggestionRange,
  suggestionTextView,
  type SuggestionTarget,
} from "@cocanvas/content";
import { ApiError, builtinQuickActions, type AiSelection, quickActionInstruction, roleAtLeast, type QuickAction, type Role } from "@cocanvas/protocol";
import { stepCountIs, streamText, type ModelMessage, type ToolSet } from "ai";
import * as Y from "yjs";
import { AgentPresence } from "../agents/agent-presence.ts";
import { defaultAgent, type AgentProfile } from "../agents/personas.ts";
import { newId } from "../ids.ts";
import { anchorSelection, selectionOf, type SelectionAnchors } from "../canvases/selection-anchors.ts";
import type { Logger } from "../logger.ts";
import type { ModelResolver, ResolvedModel } from "../models/model-resolver.ts";
import type { AgentStore } from "../storage/agent-store.ts";
import type { AiRunRow, AiStore } from "../storage/ai-store.ts";
import type { CanvasRow } from "../storage/storage.ts";
import { systemPrompt, userPrompt } from "./canvas-prompt.ts";
import { storedPrompt, systemWithMemory } from "./run-prompt.ts";
import { commentTools, threadsForPrompt } from "./comment-tools.ts";
import { EditCall, editTools, isEditTool, type EditScope } from "./edit-tools.ts";
import { describeModelError } from "./model-errors.ts";
import { AgentChain, type ChainBudget } from "./agent-chain.ts";
import { handoffTool, maxHandoffDepth } from "./handoff-tool.ts";
import { RunFeed, type RunListener } from "./run-feed.ts";


/** A canvas document held open by a server-side peer. */
export interface OpenDocument {
  document: Y.Doc;
  release(): Promise<void>;
}

export interface CoEditorDeps {
  models: ModelResolver;
  store: AiStore;
  agents: AgentStore;
  logger: Logger;
  openDocument(canvasId: string): Promise<OpenDocument>;
  /** The invoker's role on the canvas now (it is checked again before every change an agent makes). */
  roleOf(userId: string, canvasId: string): Promise<Role | null>;
  /** Resolves an agent named in a hand-off, within the canvas's workspace. */
  findAgent(workspaceId: string, nameOrId: string): Promise<AgentProfile | null>;
  timeoutSeconds: number;
  /** What one person's request and all the hand-offs it leads to may spend together, unless the first agent sets its own. */
  chainBudget: ChainBudget;
  /** What is remembered about the person asking (a prompt section, "" when nothing); appended to the system prompt. */
  memory?: { promptFor(userId: string, workspaceId: string): Promise<string> };
}

export interface RunRequest {
  canvas: CanvasRow;
  user: { id: string; name: string; color: string };
  /** Which agent works; the Assistant when not given. */
  agent?: AgentProfile;
  instruction?: string;
  quickAction?: { id: string; param?: string };
  /** The range to work on, as the request gave it (`anchorSelection`: relative positions, a quote or offsets). */
  selection?: AiSelection;
  /** The range to work on as offsets in the target's text view (server-side callers, e.g. a comment thread's range). */
  range?: { from: number; to: number };
  path?: string;
  model?: string;
  /** Set when another agent handed this work over. */
  parentRunId?: string;
  depth?: number;
  /** The chain a hand-off belongs to (its runs share one budget); a new chain when not given. */
  chain?: AgentChain;
  /** The comment thread this run answers (an @mention). */
  threadId?: string;
  /** More material for the prompt (a task's digest of what changed in the workspace). */
  context?: string;
  /** Set when a task started the run: provenance records it, and the chat says whose task it is. */
  task?: { taskId: string; taskRunId: string; name: string };
}

interface ActiveRun {
  controller: AbortController;
  canvasId: string;
  agent: AgentProfile;
  stopReason: "person" | "budget" | "chain" | null;
  done: Promise<void>;
  /** The run's live state for followers (`follow`). */
  feed: RunFeed;
}

/** What an agent may do in one run: its own tools, cut down to what its invoker may do. */
interface Capabilities {
  edit: boolean;
  comment: boolean;
  handoff: boolean;
}

function capabilitiesOf(agent: AgentProfile, invokerRole: Role, depth: number): Capabilities {
  return {
    edit: agent.tools.includes("edit") && roleAtLeast(invokerRole, "editor"),
    comment: agent.tools.includes("comment") && roleAtLeast(invokerRole, "commenter"),
    handoff: agent.tools.includes("handoff") && depth < maxHandoffDepth,
  };
}

/**
 * Runs agents on canvases as server-side peers of the live document: the request and the
 * reply go into the canvas chat, the agent appears in presence with a cursor and a status,
 * edits stream in as suggestions anchored to the text, comments are anchored threads, and
 * the run's provenance (agent, model, prompt, tool calls, tokens, timing) and every action
 * (activity log) are stored. An agent acts with its invoker's permissions, within its
 * budget, and hands work to another agent only explicitly and only `maxHandoffDepth` deep.
 */
export class CoEditor {
  private readonly active = new Map<string, ActiveRun>();

  constructor(private readonly deps: CoEditorDeps) {}

  /** Starts a run and returns at once; the reply streams into the canvas. */
  async start(request: RunRequest): Promise<{ runId: string; messageId: string }> {
    const { canvas } = request;
    const agent = request.agent ?? defaultAgent;
    const depth = request.depth ?? 0;
    const invokerRole = await this.deps.roleOf(request.user.id, canvas.id);
    if (!invokerRole || !roleAtLeast(invokerRole, "commenter")) throw new ApiError("forbidden", "Asking an agent needs at least the commenter role on the canvas.");
    if (depth > maxHandoffDepth) throw new ApiError("conflict", `Agents may hand work to each other at most ${maxHandoffDepth} times in a row.`);
    const capabilities = capabilitiesOf(agent, invokerRole, depth);
    if (!capabilities.edit && !capabilities.comment) {
      throw new ApiError("forbidden", `${agent.name} only edits, and you may not edit this canvas (you are ${invokerRole}).`);
    }
    const action = request.quickAction ? await this.quickAction(request.quickAction.id, request) : null;
    const instruction = action ? [quickActionInstruction(action, request.quickAction?.param), request.instruction].filter(Boolean).join("\n") : (request.instruction ?? "");
    if (!instruction) throw new ApiError("invalid_request", "Give an instruction or a quick action.");
    const model = await this.deps.models.resolve({ override: request.model ?? agent.model, workspaceId: canvas.workspaceId });
    const opened = await this.deps.openDocument(canvas.id);
    try {
      const doc = opened.document;
      const target = this.targetOf(canvas, doc, request);
      const anchors = request.selection
        ? anchorSelection(doc, target, request.selection)
        : request.range
          ? anchorsOf(doc, target, request.range)
          : null;
      if (anchors && !resolveSuggestionRange(doc, target, anchors.from, anchors.to)) throw new ApiError("conflict", "The selected text no longer exists; select it again.");

      const runId = newId();
      const chain = request.chain ?? new AgentChain(runId, { ...this.deps.chainBudget, ...agent.chainBudget });
      if (!chain.admit()) throw new ApiError("conflict", `${chain.describe()} No more hand-offs: finish the work yourself.`);
      const messageId = newId();
      const now = new Date().toISOString();
      const label = action ? `${action.label}${request.quickAction?.param ? ` (${request.quickAction.param})` : ""}${request.instruction ? `: ${request.instruction}` : ""}` : instruction;
      const asker = request.parentRunId
        ? { id: null, name: `${request.user.name} via hand-off`, color: request.user.color, kind: "agent" as const }
        : { id: request.user.id, name: request.task ? `${request.user.name}'s task “${request.task.name}”` : request.user.name, color: request.user.color, kind: "person" as const };
      doc.transact(() => {
        appendChatMessage(doc, { id: newId(), role: "user", author: asker, text: agent === defaultAgent ? label : `@${agent.name} ${label}`, runId, status: "done", createdAt: now });
        appendChatMessage(doc, { id: messageId, role: "assistant", author: { id: agent.id, name: agent.name, color: agent.color, kind: "agent" }, text: "", runId, status: "streaming", createdAt: now });
      }, origin(runId));

      const controller = new AbortController();
      const run: ActiveRun = { controller, canvasId: canvas.id, agent, stopReason: null, done: Promise.resolve(), feed: new RunFeed(runId) };
      this.active.set(runId, run);
      chain.join(runId, () => {
        run.stopReason ??= "chain";
        controller.abort(new StopRequested());
      });
      run.done = this.execute({ runId, messageId, request, agent, depth, chain, capabilities, instruction, action, model, doc, target, anchors, run })
        .catch((error) => this.deps.logger.error({ err: error, runId }, "AI run crashed"))
        .finally(() => {
          // A run that crashed still ends for the people following it.
          if (run.feed.status === "running") run.feed.emit({ type: "run-status", status: "failed", error: "The run ended unexpectedly; see the server log." });
          chain.leave(runId);
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
  stop(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.stopReason ??= "person";
    run.controller.abort(new StopRequested());
    return true;
  }

  /**
   * Follows a running run: `listener` gets the state so far (`run-state`), then every
   * change, ending with its final `run-status`. Null when the run is not running here.
   */
  follow(runId: string, listener: RunListener): (() => void) | null {
    return this.active.get(runId)?.feed.follow(listener) ?? null;
  }

  isRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Runs still streaming on a canvas (what each agent is doing is in their presence). */
  runningOn(canvasId: string): { runId: string; agent: string }[] {
    return [...this.active].filter(([, run]) => run.canvasId === canvasId).map(([runId, run]) => ({ runId, agent: run.agent.name }));
  }

  /** Stops every run (server shutdown) and waits for them to record how they ended. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.stopReason ??= "person";
      run.controller.abort(new StopRequested());
    }
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

  private async execute(run: {
    runId: string;
    messageId: string;
    request: RunRequest;
    agent: AgentProfile;
    depth: number;
    chain: AgentChain;
    capabilities: Capabilities;
    instruction: string;
    action: QuickAction | null;
    model: ResolvedModel;
    doc: Y.Doc;
    target: SuggestionTarget;
    anchors: SelectionAnchors | null;
    run: ActiveRun;
  }): Promise<void> {
    const { runId, doc, target, anchors, model, request, agent, capabilities } = run;
    const { store, timeoutSeconds } = this.deps;
    const canvasId = request.canvas.id;
    const startedAt = performance.now();
    const agentOrigin = origin(runId);
    const message = findChatMessage(doc, run.messageId)!;
    const replyText = message.get("text") as Y.Text;
    const suggestionIds = message.get("suggestionIds") as Y.Array<string>;
    const presence = new AgentPresence(doc, agent, { runId, invokedBy: request.task ? `${request.user.name}'s task “${request.task.name}”` : request.user.name });
    // Whatever happens below, the agent leaves the canvas's presence when the run ends.
    try {
      const log = (action: string, detail = "") => {
        this.deps.agents.addActivity({ canvasId, runId, actor: agent.name, userId: request.user.id, action, detail }).catch((error) => this.deps.logger.warn({ err: error }, "activity not logged"));
      };

      const view = suggestionTextView(doc, target);
      const scopeNow = () => (anchors ? resolveSuggestionRange(doc, target, anchors.from, anchors.to) : null);
      const scope0 = scopeNow();
      presence.cursorAt(target, scope0?.from ?? 0, scope0?.to ?? 0);
      presence.status(capabilities.edit ? "reading" : "reviewing");
      const threads = capabilities.comment ? threadsForPrompt(doc, request.threadId ?? null) : "";
      // Memory only adds to the prompt: a failure to read it must not stop the run, but is logged.
      const remembered =
        (await this.deps.memory?.promptFor(request.user.id, request.canvas.workspaceId).catch((error) => {
          this.deps.logger.warn({ err: error, runId }, "memory not read for this run");
          return "";
        })) ?? "";
      // The memory is stored apart from the rest of the prompt: only its owner (and admins) see it in the run's provenance.
      const systemWithoutMemory = [systemPrompt, `You are ${agent.name}. ${agent.instructions}`, capabilityNote(capabilities)].filter(Boolean).join("\n\n");
      const system = systemWithMemory({ system: systemWithoutMemory, memory: remembered });
      const prompt = userPrompt({
        title: request.canvas.title,
        target: target.kind === "doc" ? target : { ...target, language: languageForPath(target.path) },
        text: view.text,
        scope: scope0,
        instruction: run.instruction,
        context: [threads, request.context].filter(Boolean).join("\n\n"),
      });
      const messages: ModelMessage[] = [{ role: "user", content: prompt }];
      await store.createRun({
        id: runId,
        canvasId,
        userId: request.user.id,
        agent: agent.name,
        agentId: agent.id,
        parentRunId: request.parentRunId ?? null,
        chainId: run.chain.rootRunId,
        depth: run.depth,
        threadId: request.threadId ?? null,
        taskId: request.task?.taskId ?? null,
        taskRunId: request.task?.taskRunId ?? null,
        provider: model.provider,
        model: model.modelId,
        instruction: run.instruction,
        quickAction: run.action?.id ?? null,
        prompt: storedPrompt(systemWithoutMemory, messages, remembered),
        createdAt: new Date().toISOString(),
      });
      log("started", run.instruction.slice(0, 200));

      const notes: string[] = [];
      const calls = new Map<string, EditCall>();
      const toolCalls: AiRunRow["toolCalls"] = [];
      const recordCall = (call: AiRunRow["toolCalls"][number]) => {
        toolCalls.push(call);
        run.run.feed.emit({ type: "tool-call-end", ...call });
      };
      const pendingSaves: Promise<void>[] = [];
      const decidedBy = { id: request.user.id, name: request.user.name };
      /** Checked before every change: the invoker may have lost the role since the run started. */
      const stillAllowed = async (needed: Role) => {
        const role = await this.deps.roleOf(request.user.id, canvasId);
        return role !== null && roleAtLeast(role, needed);
      };
      const scope: EditScope = {
        doc,
        target,
        runId,
        agent,
        origin: agentOrigin,
        range: scopeNow,
        onSuggestion: ({ id, call, final, status }) => {
          if (!final) {
            run.run.feed.emit({ type: "suggestion-start", id });
            doc.transact(() => suggestionIds.push([id]), agentOrigin);
            presence.status("writing a suggestion");
            return;
          }
          log(status === "discarded" ? "discarded" : "suggestion", id);
          run.run.feed.emit({ type: "suggestion-end", id, status });
          pendingSaves.push(store.saveSuggestion({ id, runId, canvasId, target: target.kind === "doc" ? "doc" : target.path, oldText: call.oldText, newText: call.newText, status }));
        },
        onLocate: (from, to) => presence.cursorAt(target, from, to),
      };

      const tools: ToolSet = {};
      if (capabilities.edit) {
        Object.assign(
          tools,
          editTools(async (tool, input, toolCallId) => {
            let call = calls.get(toolCallId);
            if (!call || call.finished) calls.set(toolCallId, (call = new EditCall(toolCallId, tool, scope)));
            if (!(await stillAllowed("editor"))) {
              call.discard(`${request.user.name} may no longer edit this canvas`);
              log("refused", `${tool}: the invoker may no longer edit`);
            }
            const outcome = call.complete(input, aiAppliesDirectly(doc), decidedBy);
            if (input.threadId && call.writer && !call.error) this.linkToThread(doc, input.threadId, call.writer.id, agentOrigin);
            recordCall({ name: tool, input, result: outcome });
            return outcome;
          }, { threads: Boolean(threads) }),
        );
      }
      if (capabilities.comment) {
        Object.assign(
          tools,
          commentTools({
            doc,
            target,
            origin: agentOrigin,
            author: { kind: "agent", id: agent.id, name: agent.name, color: agent.color },
            range: scopeNow,
            onLocate: (from, to) => {
              presence.cursorAt(target, from, to);
              presence.status("commenting");
            },
            allowed: () => stillAllowed("commenter"),
            record: (name, input, result, detail) => {
              recordCall({ name, input, result });
              log(name, detail);
            },
          }),
        );
      }
      if (capabilities.handoff) {
        Object.assign(
          tools,
          handoffTool({
            workspaceId: request.canvas.workspaceId,
            depth: run.depth,
            chain: run.chain,
            findAgent: this.deps.findAgent,
            startRun: (other, instruction) =>
              this.start({
                canvas: request.canvas,
                user: request.user,
                agent: other,
                instruction,
                // The other agent works on the same text, anchored as it was resolved for this run.
                ...(anchors ? { selection: selectionOf(anchors, target.kind === "code" ? target.path : undefined) } : {}),
                path: request.path,
                parentRunId: runId,
                depth: run.depth + 1,
                chain: run.chain,
              }),
            recordCall,
            log,
            notes,
          }),
        );
      }

      const budget = agent.budget;
      const timeout = AbortSignal.timeout(Math.min(timeoutSeconds, budget.maxSeconds) * 1000);
      const signal = AbortSignal.any([run.run.controller.signal, timeout]);
      let firstTokenMs: number | null = null;
      const sawToken = () => (firstTokenMs ??= Math.round(performance.now() - startedAt));
      const usage = { inputTokens: 0, outputTokens: 0 };
      let failure: unknown = null;
      let responseModel: string | null = null;

      try {
        const result = streamText({
          model: model.model,
          system,
          messages,
          tools,
          stopWhen: stepCountIs(budget.maxTurns),
          maxOutputTokens: budget.maxTokens,
          abortSignal: signal,
          maxRetries: 1,
        });
        for await (const part of result.fullStream) {
          switch (part.type) {
            case "text-delta":
              sawToken();
              presence.status("replying");
              doc.transact(() => replyText.insert(replyText.length, part.text), agentOrigin);
              run.run.feed.emit({ type: "text-delta", delta: part.text });
              break;
            case "tool-input-start":
              sawToken();
              if (isEditTool(part.toolName) && capabilities.edit) calls.set(part.id, new EditCall(part.id, part.toolName, scope));
              // Presence says what the agent is composing while the call streams in.
              if (part.toolName === "comment" || part.toolName === "reply") presence.status("commenting");
              else if (part.toolName === "handoff") presence.status("handing off");
              break;
            case "tool-input-delta":
              sawToken();
              calls.get(part.id)?.push(part.delta);
              break;
            case "tool-error": {
              const call = calls.get(part.toolCallId);
              const reason = `the model's ${part.toolName} call was malformed (${String(part.error).split("\n")[0]}) and was discarded`;
              call?.discard(reason);
              recordCall({ name: part.toolName, input: part.input, result: `Error: ${reason}` });
              notes.push(`The model's ${part.toolName} call was malformed and was discarded.`);
              break;
            }
            case "finish-step":
              usage.inputTokens += part.usage.inputTokens ?? 0;
              usage.outputTokens += part.usage.outputTokens ?? 0;
              // The model that answered, as the provider names it (often a dated snapshot of the one asked for).
              responseModel = part.response.modelId || responseModel;
              run.chain.spend((part.usage.inputTokens ?? 0) + (part.usage.outputTokens ?? 0));
              if (usage.inputTokens + usage.outputTokens > budget.maxTokens) {
                run.run.stopReason ??= "budget";
                run.run.controller.abort(new StopRequested());
              }
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

      const stopped = failure !== null && run.run.controller.signal.aborted && !timeout.aborted;
      const timedOut = failure !== null && timeout.aborted;
      let status: AiRunRow["status"] = "done";
      let errorText: string | null = null;
      if (stopped) {
        status = "stopped";
        if (run.run.stopReason === "budget") notes.push(`${agent.name} reached its budget of ${budget.maxTokens} tokens and stopped.`);
        if (run.run.stopReason === "chain") {
          notes.push(`${run.chain.describe()} ${agent.name} stopped.`);
          log("chain-budget", run.chain.describe());
        }
        for (const call of calls.values()) call.stop();
      } else if (failure !== null) {
        status = "failed";
        errorText = describeModelError(failure, Math.min(timeoutSeconds, budget.maxSeconds), timedOut);
        for (const call of calls.values()) call.discard("the run failed");
        this.deps.logger.warn({ runId, provider: model.provider, model: model.modelId, err: failure instanceof Error ? failure.message : String(failure) }, "AI run failed");
      } else {
        for (const call of calls.values()) if (!call.finished) call.discard("the call never completed");
      }

      doc.transact(() => {
        if (status === "failed") message.set("error", errorText);
        else if (notes.length) message.set("error", notes.join(" "));
        if (status === "done" && replyText.length === 0) {
          const filler = toolCalls.length ? "Done — see the changes above." : "I made no changes.";
          replyText.insert(0, filler);
          run.run.feed.emit({ type: "text-delta", delta: filler });
        }
        message.set("status", status);
      }, agentOrigin);
      log(status === "done" ? "finished" : status, errorText ?? notes.join(" "));

      await Promise.all(pendingSaves);
      await store.finishRun(runId, {
        status,
        error: errorText,
        tokensIn: usage.inputTokens || null,
        tokensOut: usage.outputTokens || null,
        firstTokenMs,
        latencyMs: Math.round(performance.now() - startedAt),
        toolCalls,
        responseModel,
      });
      run.run.feed.emit({ type: "run-status", status, error: errorText ?? (notes.join(" ") || null) });
  
    } finally {
      presence.leave();
    }
  }

  private linkToThread(doc: Y.Doc, threadId: string, suggestionId: string, agentOrigin: object) {
    try {
      linkSuggestionToThread(doc, threadId, suggestionId, agentOrigin);
    } catch (error) {
      this.deps.logger.debug({ err: error, threadId }, "suggestion not linked to its thread");
    }
  }
}

function capabilityNote(capabilities: Capabilities): string {
  const can = [capabilities.edit && "suggest edits (replace, insert, delete)", capabilities.comment && "comment on passages and reply to threads", capabilities.handoff && "hand work to another agent"].filter(Boolean);
  const cannot = [!capabilities.edit && "edit the text (the person who asked may not, or you are not meant to)"].filter(Boolean);
  return `In this request you may ${can.join(", ")}.${cannot.length ? ` You may not ${cannot.join(", ")}.` : ""}`;
}

class StopRequested extends Error {
  constructor() {
    super("stopped");
    this.name = "StopRequested";
  }
}

function origin(runId: string): object {
  return { agentRun: runId };
}

function anchorsOf(doc: Y.Doc, target: SuggestionTarget, range: { from: number; to: number }) {
  const view = suggestionTextView(doc, target);
  return { from: view.anchor(range.from, "start"), to: view.anchor(range.to, range.from === range.to ? "start" : "end") };
}

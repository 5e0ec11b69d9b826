import { docFromState, readChat, type ChatMessage } from "@cocanvas/content";
import { ApiError } from "@cocanvas/protocol";
import { Output, streamText } from "ai";
import type * as Y from "yjs";
import { describeModelError } from "../ai/model-errors.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { ModelResolver } from "../models/model-resolver.ts";
import type { MemoryRow } from "../storage/memory-store.ts";
import type { Storage } from "../storage/storage.ts";
import { cleanEntry, memorySection, newEntries, reflectionPrompt, reflectionSystemPrompt, ReflectionOutput, type Evidence } from "./reflection.ts";

export interface MemoryOptions {
  storage: Storage;
  documents: LiveDocuments;
  models: ModelResolver;
  logger: Logger;
  /** Longest a reflection's model call may take. */
  timeoutSeconds: number;
  /** Reflections at the end of sessions run at most this often per person and workspace. */
  minIntervalMs?: number;
  /** How long after a session ends its reflection waits (a person who comes straight back has not ended it). */
  sessionQuietMs?: number;
  /** Entries kept per person and workspace (the newest). */
  maxEntries?: number;
}

export interface ReflectionResult {
  /** Entries this reflection added. */
  added: MemoryRow[];
  /** Everything remembered now, newest first. */
  entries: MemoryRow[];
  /** What the reflection read. */
  evidence: { decisions: number; ratings: number; requests: number };
  /** When the person's work was last read; null if never. */
  reflectedAt: string | null;
}

const defaultMinIntervalMs = 5 * 60_000;
const defaultSessionQuietMs = 2 * 60_000;
const defaultMaxEntries = 30;
/** Bounds on what one reflection reads and sends. */
const maxFeedback = 200;
const maxRuns = 100;
const maxCanvases = 50;
const maxEvidence = 60;
/** How far before the last reflection a canvas's `updated_at` may lag its chat (it is touched on a 2–10 s debounce). */
const updatedAtSlackMs = 10 * 60_000;
/** How far back the end of a session looks for the people who worked with the AI on the canvas. */
const sessionLookbackMs = 24 * 60 * 60_000;

const key = (userId: string, workspaceId: string) => `${userId}\u0000${workspaceId}`;

/**
 * What agents remember about each person, per workspace. Reflection distils style rules
 * and facts from one person's own decisions on AI suggestions (an edit of the AI's text
 * is the strongest signal), their thumbs and their chat requests since the last
 * reflection; `promptFor` hands the result to later prompts. It never reads another
 * person's feedback: every read is keyed by the person's id.
 */
export class Memory {
  private readonly minIntervalMs: number;
  private readonly sessionQuietMs: number;
  private readonly maxEntries: number;
  /** Reflections running now, per person and workspace (a second request joins the first). */
  private readonly running = new Map<string, Promise<ReflectionResult>>();
  private readonly controllers = new Set<AbortController>();
  /** When each person/workspace was last reflected on, and reflections waiting for their turn. */
  private readonly lastRun = new Map<string, number>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly background = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: MemoryOptions) {
    this.minIntervalMs = options.minIntervalMs ?? defaultMinIntervalMs;
    this.sessionQuietMs = options.sessionQuietMs ?? defaultSessionQuietMs;
    this.maxEntries = options.maxEntries ?? defaultMaxEntries;
  }

  /** A person's memory in a workspace, newest first. */
  list(userId: string, workspaceId: string): Promise<MemoryRow[]> {
    return this.options.storage.memory.list(userId, workspaceId);
  }

  /** When the person's work in the workspace was last read by a reflection. */
  reflectedAt(userId: string, workspaceId: string): Promise<string | null> {
    return this.options.storage.memory.reflectedAt(userId, workspaceId);
  }

  /** Changes the text of one of the person's entries; 404 for anyone else's. */
  async update(userId: string, entryId: string, text: string): Promise<MemoryRow> {
    await this.own(userId, entryId);
    const cleaned = cleanEntry(text);
    if (!cleaned) throw new ApiError("invalid_request", "A memory entry needs some text.");
    return (await this.options.storage.memory.updateText(entryId, cleaned))!;
  }

  /** Deletes one of the person's entries; 404 for anyone else's. */
  async remove(userId: string, entryId: string): Promise<void> {
    await this.own(userId, entryId);
    await this.options.storage.memory.delete(entryId);
  }

  /** Deletes everything remembered about the person in the workspace. */
  clear(userId: string, workspaceId: string): Promise<number> {
    return this.options.storage.memory.deleteAll(userId, workspaceId);
  }

  /** The section a prompt for this person carries ("What you know about this person: …"), or "" when nothing is remembered. */
  async promptFor(userId: string, workspaceId: string): Promise<string> {
    return memorySection(await this.options.storage.memory.list(userId, workspaceId));
  }

  /**
   * Reads what the person did in the workspace since the last reflection and adds what
   * it teaches to their memory. Without anything new, the model is not called. Throws an
   * ApiError (`model_unavailable`) when no model is configured or the model fails.
   */
  reflect(userId: string, workspaceId: string): Promise<ReflectionResult> {
    if (this.closed) return Promise.reject(new ApiError("model_unavailable", "The server is shutting down."));
    const id = key(userId, workspaceId);
    const current = this.running.get(id);
    if (current) return current;
    this.lastRun.set(id, Date.now());
    const reflection = this.runReflection(userId, workspaceId).finally(() => this.running.delete(id));
    this.running.set(id, reflection);
    return reflection;
  }

  /**
   * The end of a session on a canvas (its document unloads): reflects, in the
   * background, for each member of the workspace who made decisions or requests on it
   * recently, `sessionQuietMs` after the session ended and at most once per
   * `minIntervalMs` per person and workspace (a later one waits for its turn). Never
   * blocks the unload; failures are logged (never with a key) and change nothing.
   */
  sessionEnded(canvasId: string, document: Y.Doc): void {
    if (this.closed) return;
    const since = new Date(Date.now() - sessionLookbackMs).toISOString();
    const requests: { authorId: string; runId: string }[] = [];
    try {
      for (const message of readChat(document)) {
        if (isRequest(message) && message.createdAt > since && message.runId) requests.push({ authorId: message.author.id, runId: message.runId });
      }
    } catch (error) {
      this.options.logger.debug({ err: error, canvasId }, "reading the chat for memory failed");
    }
    this.track(
      (async () => {
        const { storage } = this.options;
        const canvas = await storage.getCanvas(canvasId);
        if (!canvas) return;
        // Chat authors are whatever an editor wrote into the document: a request counts only
        // when its run was recorded for that person on this canvas (decision 0016).
        const chatters: string[] = [];
        for (const request of requests) {
          const run = await storage.ai.getRun(request.runId);
          if (run && run.userId === request.authorId && run.canvasId === canvasId) chatters.push(request.authorId);
        }
        const people = new Set([...chatters, ...(await storage.memory.activeOn(canvasId, since))]);
        for (const userId of people) {
          if (await storage.getMemberRole(canvas.workspaceId, userId)) this.schedule(userId, canvas.workspaceId);
        }
      })(),
    );
  }

  /** Stops accepting reflections, cancels waiting ones and stops running ones (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    for (const controller of this.controllers) controller.abort(new Error("the server is shutting down"));
    await Promise.allSettled([...this.background, ...this.running.values()]);
  }

  private schedule(userId: string, workspaceId: string): void {
    const id = key(userId, workspaceId);
    if (this.waiting.has(id) || this.closed) return;
    const wait = Math.max(this.sessionQuietMs, (this.lastRun.get(id) ?? -Infinity) + this.minIntervalMs - Date.now());
    const start = () => {
      this.waiting.delete(id);
      if (this.closed) return;
      this.track(
        this.reflect(userId, workspaceId).then(
          (result) => {
            if (result.added.length) this.options.logger.info({ userId, workspaceId, added: result.added.length, evidence: result.evidence }, "memory reflection added entries");
          },
          (error) => {
            // No model configured (an ApiError from the resolver) is a setting, not a failure.
            const level = error instanceof ApiError && !(error instanceof ReflectionFailed) ? "info" : "warn";
            this.options.logger[level]({ userId, workspaceId, reason: error instanceof Error ? error.message : String(error) }, "memory reflection did not run; memory is unchanged");
          },
        ),
      );
    };
    if (wait <= 0) start();
    else {
      const timer = setTimeout(start, wait);
      timer.unref();
      this.waiting.set(id, timer);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error) => this.options.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, "memory bookkeeping failed"));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private async own(userId: string, entryId: string): Promise<MemoryRow> {
    const entry = await this.options.storage.memory.get(entryId);
    if (!entry || entry.userId !== userId) throw new ApiError("not_found", "There is no such memory entry.");
    return entry;
  }

  private async runReflection(userId: string, workspaceId: string): Promise<ReflectionResult> {
    const { storage, models, logger, timeoutSeconds } = this.options;
    const startedAt = new Date().toISOString();
    const since = await storage.memory.reflectedAt(userId, workspaceId);
    const { evidence, counts } = await this.gather(userId, workspaceId, since);
    if (evidence.length === 0) return { added: [], entries: await storage.memory.list(userId, workspaceId), evidence: counts, reflectedAt: since };

    const existing = await storage.memory.list(userId, workspaceId);
    const model = await models.resolve({ workspaceId });
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    let output: ReflectionOutput;
    try {
      const result = streamText({
        model: model.model,
        system: reflectionSystemPrompt,
        prompt: reflectionPrompt(existing, evidence),
        output: Output.object({ schema: ReflectionOutput, name: "memory", description: "New memory entries about the person" }),
        abortSignal: AbortSignal.any([controller.signal, timeout]),
        maxRetries: 1,
        onError: () => {},
      });
      for await (const part of result.fullStream) if (part.type === "error") throw part.error;
      output = await result.output;
    } catch (error) {
      const reason = describeModelError(error, timeoutSeconds, timeout.aborted).replace(/ Nothing was changed\.$/, "");
      logger.debug({ userId, workspaceId, provider: model.provider, model: model.modelId, reason }, "memory reflection: the model failed");
      throw new ReflectionFailed(`Reflection failed: ${reason} Memory is unchanged.`);
    } finally {
      this.controllers.delete(controller);
    }

    // Evidence is oldest first: the entries come from the newest run among it.
    const sourceRunId = evidence.filter((item) => item.runId).at(-1)?.runId ?? null;
    const added = newEntries(output, existing).map((entry) => ({ id: newId(), userId, workspaceId, kind: entry.kind, text: entry.text, sourceRunId }));
    if (added.length) await storage.memory.add(added);
    await storage.memory.trim(userId, workspaceId, this.maxEntries);
    await storage.memory.setReflectedAt(userId, workspaceId, startedAt);
    const entries = await storage.memory.list(userId, workspaceId);
    const addedIds = new Set(added.map((entry) => entry.id));
    return { added: entries.filter((entry) => addedIds.has(entry.id)), entries, evidence: counts, reflectedAt: startedAt };
  }

  /** The person's own decisions, thumbs and requests in the workspace since `since`, oldest first. */
  private async gather(userId: string, workspaceId: string, since: string | null) {
    const { storage, documents, logger } = this.options;
    const feedback = await storage.memory.feedbackBy(userId, workspaceId, since, maxFeedback);
    const requests = new Map<string, { text: string; at: string; runId: string | null }>();
    const latestDecision = new Map<string, (typeof feedback)[number]>();
    const latestRating = new Map<string, (typeof feedback)[number]>();
    for (const row of feedback) {
      if (row.kind === "thumbs_up" || row.kind === "thumbs_down") latestRating.set(row.runId, row);
      else if (row.suggestionId) latestDecision.set(row.suggestionId, row);
    }

    // Requests: the person's own messages in the canvas chats, and their runs (in case a chat was cleared).
    const canvases = await storage.memory.canvasesTouched(userId, workspaceId, since && new Date(Date.parse(since) - updatedAtSlackMs).toISOString(), maxCanvases);
    for (const canvasId of canvases) {
      let doc: Y.Doc | null = null;
      try {
        doc = docFromState(documents.currentState(canvasId));
        const candidates = readChat(doc).filter((message) => isRequest(message) && message.author.id === userId && !(since && message.createdAt <= since) && message.text.trim());
        for (const message of candidates) {
          // The chat is part of the shared document, so its authors, run ids and texts are
          // whatever an editor wrote there: a message counts only when it names a run the
          // server recorded for this person on this canvas, and what counts is that run's
          // recorded instruction, not the message's text.
          const run = message.runId ? await storage.ai.getRun(message.runId) : null;
          if (!run || run.userId !== userId || run.canvasId !== canvasId || !run.instruction.trim()) continue;
          requests.set(run.id, { text: run.instruction, at: run.createdAt, runId: run.id });
        }
      } catch (error) {
        logger.debug({ err: error, canvasId }, "reading a canvas chat for memory failed");
      } finally {
        doc?.destroy();
      }
    }
    for (const run of await storage.memory.runsBy(userId, workspaceId, since, maxRuns)) {
      if (!requests.has(run.id) && run.instruction.trim()) requests.set(run.id, { text: run.instruction, at: run.createdAt, runId: run.id });
    }

    const evidence: Evidence[] = [];
    for (const row of latestDecision.values()) {
      if (row.kind === "undone" || row.oldText === null || row.newText === null) continue;
      const base = { at: row.createdAt, runId: row.runId, request: row.instruction, oldText: row.oldText, aiText: row.newText };
      if (row.kind === "edited") evidence.push({ type: "edited", ...base, finalText: row.finalText ?? "" });
      else if (row.kind === "rejected") evidence.push({ type: "rejected", ...base });
      else evidence.push({ type: "accepted", ...base });
    }
    for (const row of latestRating.values()) evidence.push({ type: "rating", at: row.createdAt, runId: row.runId, request: row.instruction, rating: row.kind === "thumbs_up" ? "up" : "down" });
    for (const request of requests.values()) evidence.push({ type: "request", at: request.at, runId: request.runId, text: request.text });

    // Edits first when there is too much (the strongest signal), then the newest of the rest; shown oldest first.
    const weight = { edited: 0, rejected: 1, accepted: 2, request: 3, rating: 4 } as const;
    const chosen = evidence.sort((a, b) => weight[a.type] - weight[b.type] || b.at.localeCompare(a.at)).slice(0, maxEvidence).sort((a, b) => a.at.localeCompare(b.at));
    const counts = {
      decisions: chosen.filter((item) => item.type === "edited" || item.type === "rejected" || item.type === "accepted").length,
      ratings: chosen.filter((item) => item.type === "rating").length,
      requests: chosen.filter((item) => item.type === "request").length,
    };
    return { evidence: chosen, counts };
  }
}

/** The model failed or answered something other than the JSON asked for. */
class ReflectionFailed extends ApiError {
  constructor(message: string) {
    super("model_unavailable", message);
  }
}

/** A person's own message in a canvas chat. */
function isRequest(message: ChatMessage): message is ChatMessage & { author: { id: string } } {
  return message.role === "user" && message.author?.kind === "person" && typeof message.author.id === "string";
}

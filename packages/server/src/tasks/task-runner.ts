import * as Y from "yjs";
import { chatOf, colorForUser, findChatMessage, readSuggestions, suggestionsMapName, suggestionTextView } from "@cocanvas/content";
import { ApiError, roleAtLeast } from "@cocanvas/protocol";
import type { Access } from "../access.ts";
import type { AgentDirectory } from "../agents/agent-directory.ts";
import type { CoEditor, OpenDocument } from "../ai/co-editor.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { CanvasRow, Storage } from "../storage/storage.ts";
import type { TaskRow, TaskRunRow } from "../storage/task-store.ts";
import { workspaceChanges } from "./workspace-changes.ts";

export interface RunResult {
  status: "done" | "failed" | "cancelled";
  error: string | null;
  /** A model error (rate limit, timeout, context too long): worth another try. */
  retryable: boolean;
  aiRunId: string | null;
  canvasId: string | null;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  output: string | null;
  /** Takes the run's output back out of its canvas (when it is kept only if changed). */
  discard(): Promise<void>;
}

/** The task can no longer run at all (its owner left, its canvas is gone): it is paused with this reason. */
export class TaskBlocked extends Error {
  override name = "TaskBlocked";
}

export interface TaskRunnerDeps {
  storage: Storage;
  access: Access;
  documents: LiveDocuments;
  coEditor: CoEditor;
  agents: AgentDirectory;
  /** Holds a canvas document open (the collab server's): a run keeps its canvas loaded from start to end. */
  openDocument(canvasId: string): Promise<OpenDocument>;
  now(): Date;
}

const nothing = async () => {};

/** "Friday 4 December 2026" in the task's zone: the heading of an appended section. */
function dateHeading(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(instant);
}

/** `{date}`, `{time}` and `{task}` in a title template. */
export function titleFrom(template: string, task: TaskRow, instant: Date): string {
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: task.timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: task.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
  return template.replaceAll("{date}", date).replaceAll("{time}", time).replaceAll("{task}", task.name).slice(0, 200);
}

/**
 * One run of a task, through the same agent runtime as a person's request (CoEditor): the
 * owner's role is read now, the agent shows up in the canvas's presence and its text
 * streams in as suggestions, and the AI run records the task and run in its provenance.
 */
export class TaskRunner {
  constructor(private readonly deps: TaskRunnerDeps) {}

  async execute(
    task: TaskRow,
    run: TaskRunRow,
    signal: AbortSignal,
    options: { since: Date | null; onStarted?: (aiRunId: string, canvasId: string) => Promise<void>; leftovers?: TaskRunRow[] },
  ): Promise<RunResult> {
    const { since, onStarted, leftovers = [] } = options;
    const { storage, access } = this.deps;
    const base = { aiRunId: null, canvasId: null, model: null, tokensIn: null, tokensOut: null, discard: nothing };
    if (task.target.kind === "reminder") return { ...base, status: "done", error: null, retryable: false, output: task.instruction };

    const owner = await storage.getUserById(task.ownerId);
    if (!owner) throw new TaskBlocked("The task's owner no longer exists.");
    const agent = await this.deps.agents.get(task.workspaceId, task.agentId);
    if (!agent) throw new TaskBlocked("The task's agent was deleted from the workspace.");
    const failed = (error: string, retryable = false): RunResult => ({ ...base, status: "failed", error, retryable, output: null });

    let canvas: CanvasRow;
    const appendSection = task.target.kind === "canvas" && task.target.mode === "append";
    if (task.target.kind === "canvas") {
      const found = await storage.getCanvas(task.target.canvasId);
      if (!found || found.deletedAt || found.workspaceId !== task.workspaceId) throw new TaskBlocked("The task's canvas was deleted.");
      canvas = found;
      const role = await access.canvasRole(owner.id, canvas);
      if (!role || !roleAtLeast(role, "commenter")) return failed(`${owner.name} may no longer work on "${canvas.title}" (no role that lets an agent act on it).`);
      if (appendSection && !roleAtLeast(role, "editor")) return failed(`${owner.name} may no longer edit "${canvas.title}" (now ${role}), so the task cannot write into it.`);
    } else {
      const role = await access.workspaceRole(owner.id, task.workspaceId);
      if (!role || !roleAtLeast(role, "editor")) return failed(`${owner.name} may no longer create canvases in this workspace (now ${role ?? "no member"}).`);
      // A new doc canvas starts empty (nothing to write before the agent's first suggestion).
      canvas = await storage.createCanvas({ workspaceId: task.workspaceId, title: titleFrom(task.target.titleTemplate, task, this.deps.now()), kind: "doc", createdBy: owner.id });
      for (const leftover of leftovers) if (leftover.canvasId) await storage.updateCanvas(leftover.canvasId, { deletedAt: this.deps.now().toISOString() });
    }

    // The canvas stays loaded for the whole run: a document that unloads between two
    // server-side changes could take the second one with it.
    const held = await this.deps.openDocument(canvas.id);
    try {
      return await this.executeOn(task, run, canvas, held.document, signal, since, onStarted, leftovers);
    } finally {
      await held.release();
    }
  }

  private async executeOn(
    task: TaskRow,
    run: TaskRunRow,
    canvas: CanvasRow,
    doc: Y.Doc,
    signal: AbortSignal,
    since: Date | null,
    onStarted: ((aiRunId: string, canvasId: string) => Promise<void>) | undefined,
    leftovers: TaskRunRow[],
  ): Promise<RunResult> {
    const { storage, access, coEditor, documents } = this.deps;
    const owner = (await storage.getUserById(task.ownerId))!;
    const agent = (await this.deps.agents.get(task.workspaceId, task.agentId))!;
    const appendSection = task.target.kind === "canvas" && task.target.mode === "append";
    const base = { aiRunId: null, canvasId: canvas.id, model: null, tokensIn: null, tokensOut: null, discard: nothing };
    const failed = (error: string, retryable = false): RunResult => ({ ...base, status: "failed", error, retryable, output: null });
    if (task.target.kind === "canvas") for (const leftover of leftovers) await this.clearLeftovers(task, leftover, doc);
    const context =
      task.context === "workspace-changes"
        ? await workspaceChanges({
            storage,
            documents,
            workspaceId: task.workspaceId,
            since: since ?? new Date(this.deps.now().getTime() - 86_400_000),
            visible: async (canvasId) => {
              const other = await storage.getCanvas(canvasId);
              return Boolean(other && other.id !== canvas.id && (await access.canvasRole(owner.id, other)));
            },
          })
        : undefined;

    let range: { from: number; to: number } | undefined;
    let instruction = task.instruction;
    const taskOrigin = { taskRun: run.id };
    if (appendSection) {
      const heading = dateHeading(this.deps.now(), task.timeZone);
      doc.transact(() => {
        const fragment = doc.getXmlFragment("content");
        const title = new Y.XmlElement("heading");
        title.setAttribute("level", 2 as unknown as string);
        title.insert(0, [new Y.XmlText(heading)]);
        fragment.push([title, new Y.XmlElement("paragraph")]);
      }, taskOrigin);
      const end = suggestionTextView(doc, { kind: "doc" }).text.length;
      range = { from: end, to: end };
      instruction = `${task.instruction}\n\nThis is a scheduled task: write today's new section, under the heading "${heading}" that ends the document. Insert it with an empty \`after\`; do not repeat the heading.`;
    }

    let started: { runId: string; messageId: string };
    try {
      started = await coEditor.start({
        canvas,
        user: { id: owner.id, name: owner.name, color: colorForUser(owner.id) },
        agent,
        instruction,
        range,
        context,
        task: { taskId: task.id, taskRunId: run.id, name: task.name },
      });
    } catch (error) {
      this.removeSection(doc, appendSection);
      if (task.target.kind === "new-canvas") await storage.updateCanvas(canvas.id, { deletedAt: this.deps.now().toISOString() });
      if (error instanceof ApiError) return { ...failed(error.message, false), canvasId: canvas.id };
      throw error;
    }
    await onStarted?.(started.runId, canvas.id);
    const stop = () => coEditor.stop(started.runId);
    signal.addEventListener("abort", stop, { once: true });
    await coEditor.settled(started.runId);
    signal.removeEventListener("abort", stop);

    const aiRun = await storage.ai.getRun(started.runId);
    const suggestions = (await storage.ai.listSuggestions(started.runId)).filter((suggestion) => suggestion.status !== "discarded");
    const reply = String(findChatMessage(doc, started.messageId)?.get("text") ?? "");
    const output = suggestions.length ? suggestions.map((suggestion) => suggestion.newText).join("\n\n") : reply;
    const discard = async () => {
      const held = await this.deps.openDocument(canvas.id);
      try {
        held.document.transact(() => {
          removeSuggestionsOf(held.document, started.runId);
          this.removeSection(held.document, appendSection);
        }, taskOrigin);
      } finally {
        await held.release();
      }
      if (task.target.kind === "new-canvas") await storage.updateCanvas(canvas.id, { deletedAt: this.deps.now().toISOString() });
    };
    const result = {
      aiRunId: started.runId,
      canvasId: canvas.id,
      model: aiRun ? `${aiRun.provider}:${aiRun.model}` : null,
      tokensIn: aiRun?.tokensIn ?? null,
      tokensOut: aiRun?.tokensOut ?? null,
      output,
      discard,
    };
    if (aiRun?.status === "failed") {
      if (appendSection && !suggestions.length) doc.transact(() => this.removeSection(doc, true), taskOrigin);
      return { ...result, status: "failed", error: aiRun.error ?? "The model failed.", retryable: true };
    }
    if (appendSection && !suggestions.length) doc.transact(() => this.removeSection(doc, true), taskOrigin);
    if (aiRun?.status === "stopped" && signal.aborted) return { ...result, status: "cancelled", error: "Cancelled while it ran.", retryable: false };
    return { ...result, status: "done", error: null, retryable: false };
  }

  /**
   * Clears what a run that died with the server left in its canvas — its half-written
   * suggestions, its empty dated heading, its chat reply still "streaming" and its AI run
   * still "running" — so that the retry's output is the only one.
   */
  private async clearLeftovers(task: TaskRow, run: TaskRunRow, doc: Y.Doc): Promise<void> {
    if (!run.aiRunId) return;
    const reason = "The server stopped during this run.";
    doc.transact(() => {
      removeSuggestionsOf(doc, run.aiRunId!);
      for (const entry of chatOf(doc)) {
        if (entry.get("runId") === run.aiRunId && entry.get("status") === "streaming") {
          entry.set("status", "failed");
          entry.set("error", reason);
        }
      }
      this.removeSection(doc, task.target.kind === "canvas" && task.target.mode === "append");
    }, { taskRun: run.id });
    const aiRun = await this.deps.storage.ai.getRun(run.aiRunId);
    if (aiRun?.status === "running") await this.deps.storage.ai.finishRun(aiRun.id, { status: "failed", error: reason, tokensIn: null, tokensOut: null, firstTokenMs: null, latencyMs: null, toolCalls: aiRun.toolCalls });
  }

  /** Takes away the dated heading and empty paragraph a run appended, if they are still the document's last blocks and still empty below. */
  private removeSection(doc: Y.Doc, appended: boolean): void {
    if (!appended) return;
    const fragment = doc.getXmlFragment("content");
    const last = fragment.get(fragment.length - 1);
    const before = fragment.get(fragment.length - 2);
    if (last instanceof Y.XmlElement && last.nodeName === "paragraph" && last.length === 0 && before instanceof Y.XmlElement && before.nodeName === "heading") {
      fragment.delete(fragment.length - 2, 2);
    }
  }
}

/** Deletes an agent run's suggestions that nobody accepted (they live beside the text, so the text is untouched). */
function removeSuggestionsOf(doc: Y.Doc, aiRunId: string): void {
  const map = doc.getMap(suggestionsMapName);
  for (const suggestion of readSuggestions(doc)) if (suggestion.runId === aiRunId && suggestion.status !== "applied" && suggestion.status !== "accepted") map.delete(suggestion.id);
}

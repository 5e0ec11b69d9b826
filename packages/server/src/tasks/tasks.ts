import { ApiError, roleAtLeast } from "@cocanvas/protocol";
import type { Access } from "../access.ts";
import type { AgentDirectory } from "../agents/agent-directory.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../scheduler/clock.ts";
import type { JobContext, JobOutcome, Scheduler } from "../scheduler/scheduler.ts";
import type { DueJob } from "../storage/job-store.ts";
import type { Storage } from "../storage/storage.ts";
import type { TaskRow, TaskRunRow, TaskSchedule, TaskTarget } from "../storage/task-store.ts";
import { nextRun, nextRuns, occurrencesBetween, resolveSchedule, ScheduleError, type ScheduleInput } from "./schedule.ts";
import { TaskBlocked, type TaskRunner } from "./task-runner.ts";

/** The scheduler's job kind for tasks; a task's job has the task's id. */
export const taskJobKind = "task";

/** Why a task's job is due. */
interface TaskJobPayload {
  trigger: TaskRunRow["trigger"];
}

export interface TaskInput {
  name: string;
  agentId: string;
  instruction: string;
  target: TaskTarget;
  schedule: ScheduleInput;
  timeZone: string;
  missedPolicy: TaskRow["missedPolicy"];
  retries: number;
  onlyWhenChanged: boolean;
  context: TaskRow["context"];
}

/** What the rest of the server hears about runs (the notification inbox and webhooks connect here). */
export interface TaskEvents {
  /** A run ended (done, failed, cancelled, skipped). `changed`: its output differs from the previous kept run's. */
  onRunFinished?(task: TaskRow, run: TaskRunRow, changed: boolean): void | Promise<void>;
  /** A task was paused by the server, with the reason (its owner left the workspace, its canvas was deleted). */
  onTaskPaused?(task: TaskRow, reason: string): void | Promise<void>;
}

export interface TasksOptions extends TaskEvents {
  storage: Storage;
  access: Access;
  agents: AgentDirectory;
  /** Runs tasks (the server). Without it (the CLI) tasks are defined and queued, and the running server runs them. */
  runner?: TaskRunner;
  /** The scheduler; without one (the CLI) the server's scheduler finds queued jobs on its next poll. */
  scheduler?: Pick<Scheduler, "handle" | "wake">;
  clock: Clock;
  logger: Logger;
  /** The shortest interval a recurring schedule may have. */
  minIntervalSeconds: number;
  /** First retry after this long, doubling each time. */
  retryDelayMs: number;
}

/** A due job from before the scheduler started by more than this was missed during downtime. */
const missedTolerance = 1000;

const normalized = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();

/**
 * Tasks: agent work on a schedule, owned by a person in a workspace (decision 0010). Each
 * task has one job in the scheduler's queue; a run goes through the agent runtime with the
 * owner's rights read at run time, and its history is kept.
 */
export class Tasks {
  private readonly active = new Map<string, { taskId: string; controller: AbortController }>();
  private shuttingDown = false;

  constructor(private readonly options: TasksOptions) {
    const { runner, scheduler } = options;
    if (runner && scheduler) scheduler.handle(taskJobKind, { run: (job, context) => this.runJob(runner, job, context) });
  }

  private get store() {
    return this.options.storage.tasks;
  }
  private now(): Date {
    return new Date(this.options.clock.now());
  }

  /** Checks a schedule and returns it with its next run times (shown before saving). */
  preview(input: ScheduleInput, timeZone: string, count = 5): { schedule: TaskSchedule; nextRuns: string[] } {
    const schedule = this.resolve(input, timeZone);
    return { schedule, nextRuns: nextRuns(schedule, timeZone, this.now(), count).map((date) => date.toISOString()) };
  }

  private resolve(input: ScheduleInput, timeZone: string): TaskSchedule {
    try {
      return resolveSchedule(input, { now: this.now(), timeZone, minIntervalSeconds: this.options.minIntervalSeconds });
    } catch (error) {
      if (error instanceof ScheduleError) throw new ApiError("invalid_request", `schedule: ${error.message}`);
      throw error;
    }
  }

  private async checkInput(workspaceId: string, ownerId: string, input: Pick<TaskInput, "agentId" | "target">): Promise<void> {
    if (input.target.kind === "new-canvas") {
      const role = await this.options.access.workspaceRole(ownerId, workspaceId);
      if (!role || !roleAtLeast(role, "editor")) throw new ApiError("forbidden", `A task that writes new canvases needs the editor role in the workspace; you are ${role}.`);
    }
    if (!(await this.options.agents.get(workspaceId, input.agentId))) throw new ApiError("invalid_request", `agentId: there is no agent "${input.agentId}" in this workspace.`);
    if (input.target.kind === "canvas") {
      const canvas = await this.options.storage.getCanvas(input.target.canvasId);
      const role = canvas && canvas.workspaceId === workspaceId && !canvas.deletedAt ? await this.options.access.canvasRole(ownerId, canvas) : null;
      if (!role) throw new ApiError("invalid_request", "target.canvasId: there is no such canvas in this workspace.");
      const needed = input.target.mode === "append" ? "editor" : "commenter";
      if (!roleAtLeast(role, needed)) throw new ApiError("forbidden", `A task that ${input.target.mode === "append" ? "writes into" : "suggests edits to"} a canvas needs the ${needed} role on it; you are ${role}.`);
    }
  }

  async create(ownerId: string, workspaceId: string, input: TaskInput): Promise<TaskRow> {
    const schedule = this.resolve(input.schedule, input.timeZone);
    await this.checkInput(workspaceId, ownerId, input);
    const { schedule: _, ...fields } = input;
    const task = await this.store.createTask({ id: newId(), workspaceId, ownerId, ...fields, schedule, status: "active", pausedReason: null });
    await this.arm(task);
    return task;
  }

  async update(task: TaskRow, input: Partial<TaskInput>): Promise<TaskRow> {
    const timeZone = input.timeZone ?? task.timeZone;
    const schedule = input.schedule ? this.resolve(input.schedule, timeZone) : input.timeZone ? this.resolve(task.schedule.kind === "cron" ? { cron: task.schedule.cron } : { at: task.schedule.at }, timeZone) : task.schedule;
    await this.checkInput(task.workspaceId, task.ownerId, { agentId: input.agentId ?? task.agentId, target: input.target ?? task.target });
    const { schedule: _, ...fields } = input;
    await this.store.updateTask(task.id, { ...fields, schedule, ...(task.status === "finished" && input.schedule ? { status: "active" } : {}) });
    const updated = (await this.store.getTask(task.id))!;
    await this.arm(updated);
    return updated;
  }

  /** Puts the task's next occurrence in the scheduler's queue (or takes it out). */
  private async arm(task: TaskRow): Promise<void> {
    const { storage, scheduler } = this.options;
    const job = await storage.jobs.getJob(task.id);
    if (job?.leaseOwner && this.active.size && [...this.active.values()].some((run) => run.taskId === task.id)) return; // the running job re-arms when it ends
    const next = task.status === "active" ? nextRun(task.schedule, task.timeZone, this.now()) : null;
    if (next) await storage.jobs.putJob({ id: task.id, kind: taskJobKind, groupKey: task.workspaceId, dueAt: next.getTime(), payload: JSON.stringify({ trigger: "schedule" } satisfies TaskJobPayload) });
    else await storage.jobs.deleteJob(task.id);
    scheduler?.wake();
  }

  async get(id: string): Promise<TaskRow | null> {
    return this.store.getTask(id);
  }

  async list(workspaceId: string): Promise<TaskRow[]> {
    return this.store.listTasks(workspaceId);
  }

  /** When the task runs next (null: paused, finished or running now). */
  async nextRunAt(task: TaskRow): Promise<string | null> {
    const job = await this.options.storage.jobs.getJob(task.id);
    return job && !this.isRunning(task.id) ? new Date(job.dueAt).toISOString() : null;
  }

  /** The next `count` times the task runs (none while paused or finished). */
  upcoming(task: TaskRow, count = 5): string[] {
    return task.status === "active" ? nextRuns(task.schedule, task.timeZone, this.now(), count).map((date) => date.toISOString()) : [];
  }

  isRunning(taskId: string): boolean {
    return [...this.active.values()].some((run) => run.taskId === taskId);
  }

  async pause(task: TaskRow, reason: string | null = null): Promise<void> {
    await this.store.updateTask(task.id, { status: "paused", pausedReason: reason });
    if (!this.isRunning(task.id)) await this.options.storage.jobs.deleteJob(task.id);
  }

  async resume(task: TaskRow): Promise<TaskRow> {
    if (task.status === "finished") throw new ApiError("conflict", "This one-off task has run; give it a new schedule to run it again.");
    await this.store.updateTask(task.id, { status: "active", pausedReason: null });
    const resumed = (await this.store.getTask(task.id))!;
    await this.arm(resumed);
    return resumed;
  }

  /** Runs the task now (also when paused); 409 while a run of it is going on. */
  async runNow(task: TaskRow): Promise<void> {
    const { storage, scheduler } = this.options;
    const job = await storage.jobs.getJob(task.id);
    if (this.isRunning(task.id) || (job?.leaseOwner && (job.leaseUntil ?? 0) > this.options.clock.now())) throw new ApiError("conflict", "The task is running now; wait for it to finish or cancel it.");
    await storage.jobs.putJob({ id: task.id, kind: taskJobKind, groupKey: task.workspaceId, dueAt: this.options.clock.now(), payload: JSON.stringify({ trigger: "manual" } satisfies TaskJobPayload) });
    scheduler?.wake();
  }

  /** Stops a running run; what it wrote so far stays as partial suggestions. Returns false if it is not running here. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort();
    return true;
  }

  async delete(task: TaskRow): Promise<void> {
    for (const [runId, run] of this.active) if (run.taskId === task.id) this.cancel(runId);
    await this.options.storage.jobs.deleteJob(task.id);
    await this.store.deleteTask(task.id);
  }

  /** Every active task of the workspace whose owner is no longer a member is paused, with the reason. */
  async pauseTasksOfFormerMembers(workspaceId: string): Promise<void> {
    try {
      for (const task of await this.store.listTasks(workspaceId)) {
        if (task.status !== "active" || (await this.options.access.workspaceRole(task.ownerId, workspaceId))) continue;
        const owner = await this.options.storage.getUserById(task.ownerId);
        const reason = `${owner?.name ?? "The owner"} is no longer a member of this workspace.`;
        await this.pause(task, reason);
        await this.options.onTaskPaused?.(task, reason);
      }
    } catch (error) {
      this.options.logger.error({ err: error, workspaceId }, "tasks of former members not paused");
    }
  }

  /** The server is stopping: running runs stop now and are recorded as interrupted, to be retried by their policy. */
  closing(): void {
    this.shuttingDown = true;
    for (const run of this.active.values()) run.controller.abort();
  }

  /** Is this run still going? (Its output is then read live from the canvas.) */
  isRunRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  private async runJob(runner: TaskRunner, job: DueJob, context: JobContext): Promise<JobOutcome> {
    const { clock, logger } = this.options;
    const task = await this.store.getTask(job.id);
    if (!task) return null;
    const payload: TaskJobPayload = job.payload ? JSON.parse(job.payload) : { trigger: "schedule" };
    let trigger = payload.trigger;
    let attempt = job.attempt;
    let note: string | null = null;
    let leftovers: TaskRunRow[] = [];

    if (context.interrupted) {
      const interrupted = await this.store.interruptRunning(task.id, this.now().toISOString(), "The server stopped during this run.");
      leftovers = interrupted;
      if (interrupted.length) {
        if (attempt > task.retries) return this.afterRun(task);
        trigger = "retry";
        attempt += 1;
        note = "Retried after the server stopped during the previous attempt.";
      }
    }
    if (task.status !== "active" && trigger !== "manual") return null;

    // After downtime: a missed occurrence runs once now, or is skipped — never a burst.
    if (trigger === "schedule" && job.dueAt < context.startedAt - missedTolerance) {
      const missed = Math.max(1, occurrencesBetween(task.schedule, task.timeZone, new Date(job.dueAt - 1), this.now()));
      const when = new Date(job.dueAt).toISOString();
      if (task.missedPolicy === "skip") {
        const skipped: TaskRunRow = await this.record(task, { trigger, attempt, scheduledFor: when, status: "skipped", note: `Missed ${missed} time(s) while the server was down (first ${when}); skipped by the task's policy.` });
        await this.options.onRunFinished?.(task, skipped, false);
        return this.afterRun(task);
      }
      note = `Ran late: missed ${missed} time(s) while the server was down (first ${when}); run once now by the task's policy.`;
    }

    // The owner's rights are read now: someone who left the workspace has their task paused.
    const role = await this.options.access.workspaceRole(task.ownerId, task.workspaceId);
    if (!role) {
      const owner = await this.options.storage.getUserById(task.ownerId);
      return this.block(task, `${owner?.name ?? "The owner"} is no longer a member of this workspace.`, { trigger, attempt, scheduledFor: new Date(job.dueAt).toISOString() });
    }

    const run = await this.record(task, { trigger, attempt, scheduledFor: new Date(job.dueAt).toISOString(), status: "running", note });
    const controller = new AbortController();
    this.active.set(run.id, { taskId: task.id, controller });
    try {
      const previous = await this.store.previousKeptRun(task.id, run.startedAt);
      let result;
      try {
        result = await runner.execute(task, run, controller.signal, {
          since: previous ? new Date(previous.startedAt) : null,
          onStarted: (aiRunId, canvasId) => this.store.updateRun(run.id, { aiRunId, canvasId }),
          leftovers,
        });
      } catch (error) {
        if (error instanceof TaskBlocked) {
          await this.store.updateRun(run.id, { status: "skipped", finishedAt: this.now().toISOString(), error: error.message });
          return this.block(task, error.message, null);
        }
        logger.error({ err: error, task: task.id, run: run.id }, "task run crashed");
        result = { status: "failed" as const, error: "The run failed on the server; see its log.", retryable: true, aiRunId: null, canvasId: null, model: null, tokensIn: null, tokensOut: null, output: null, discard: async () => {} };
      }
      if (this.shuttingDown && result.status === "cancelled") {
        await this.store.updateRun(run.id, { status: "interrupted", finishedAt: this.now().toISOString(), aiRunId: result.aiRunId, canvasId: result.canvasId, model: result.model, error: "The server stopped during this run." });
        if (attempt <= task.retries) return { dueAt: clock.now(), attempt: attempt + 1, payload: JSON.stringify({ trigger: "retry" } satisfies TaskJobPayload) };
        return this.afterRun(task);
      }
      const changed = result.status === "done" && normalized(result.output) !== normalized(previous?.output);
      let kept = result.status === "done";
      if (result.status === "done" && task.onlyWhenChanged && !changed && previous) {
        await result.discard();
        kept = false;
        note = [note, "Nothing changed since the previous run, so its output was not kept."].filter(Boolean).join(" ");
      }
      await this.store.updateRun(run.id, {
        status: result.status,
        finishedAt: this.now().toISOString(),
        aiRunId: result.aiRunId,
        canvasId: result.canvasId,
        model: result.model,
        tokensIn: result.tokensIn,
        tokensOut: result.tokensOut,
        output: result.output,
        changed: result.status === "done" ? changed : null,
        kept,
        error: result.error,
        note,
      });
      const finished = (await this.store.getRun(run.id))!;
      try {
        await this.options.onRunFinished?.(task, finished, changed);
      } catch (error) {
        logger.warn({ err: error, task: task.id }, "a task run listener failed");
      }
      if (result.status === "failed" && result.retryable && attempt <= task.retries) {
        return { dueAt: clock.now() + this.options.retryDelayMs * 2 ** (attempt - 1), attempt: attempt + 1, payload: JSON.stringify({ trigger: "retry" } satisfies TaskJobPayload) };
      }
      return this.afterRun((await this.store.getTask(task.id)) ?? task);
    } finally {
      this.active.delete(run.id);
    }
  }

  /** The task's next occurrence after a run (a finished one-off is marked finished). */
  private async afterRun(task: TaskRow): Promise<JobOutcome> {
    if (task.status !== "active") return null;
    const next = nextRun(task.schedule, task.timeZone, this.now());
    if (!next) {
      await this.store.updateTask(task.id, { status: "finished" });
      return null;
    }
    return { dueAt: next.getTime(), attempt: 1, payload: JSON.stringify({ trigger: "schedule" } satisfies TaskJobPayload) };
  }

  /** The task cannot run: paused with the reason, which the history shows too. */
  private async block(task: TaskRow, reason: string, run: Pick<TaskRunRow, "trigger" | "attempt" | "scheduledFor"> | null): Promise<JobOutcome> {
    if (run) await this.record(task, { ...run, status: "skipped", error: reason });
    await this.store.updateTask(task.id, { status: "paused", pausedReason: reason });
    this.options.logger.info({ task: task.id, reason }, "task paused");
    await this.options.onTaskPaused?.(task, reason);
    return null;
  }

  private async record(task: TaskRow, fields: Pick<TaskRunRow, "trigger" | "attempt" | "scheduledFor" | "status"> & Partial<TaskRunRow>): Promise<TaskRunRow> {
    const now = this.now().toISOString();
    const run = { id: newId(), taskId: task.id, startedAt: now, ...(fields.status === "running" ? {} : { finishedAt: now }), ...fields };
    await this.store.createRun(run);
    return (await this.store.getRun(run.id))!;
  }
}

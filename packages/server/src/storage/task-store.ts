/** Where a task's runs write. */
export type TaskTarget =
  /** Each run appends a dated section to the canvas (as the agent's suggestion under a heading). */
  | { kind: "canvas"; canvasId: string; mode: "append" | "suggest" }
  /** Each run writes a new canvas whose title comes from a template (`{date}`, `{time}`, `{task}`). */
  | { kind: "new-canvas"; titleTemplate: string }
  /** No canvas: the run only reminds the owner (its output is the instruction). */
  | { kind: "reminder" };

/** When a task runs: once at an instant, or by a cron expression in the task's time zone. */
export type TaskSchedule = { kind: "once"; at: string; phrase: string | null } | { kind: "cron"; cron: string; phrase: string | null };

export type TaskStatus = "active" | "paused" | "finished";
export type TaskRunStatus = "running" | "done" | "failed" | "cancelled" | "interrupted" | "skipped";

export interface TaskRow {
  id: string;
  workspaceId: string;
  ownerId: string;
  name: string;
  /** `builtin:writer` or a workspace agent's id: persona, model, tools and budget come from it. */
  agentId: string;
  instruction: string;
  target: TaskTarget;
  schedule: TaskSchedule;
  /** IANA time zone the schedule is read in. */
  timeZone: string;
  /** After downtime: run a missed occurrence once now, or skip it. */
  missedPolicy: "run-once" | "skip";
  /** How many times a failed or interrupted run is tried again. */
  retries: number;
  /** Keep (and notify about) a run's output only when it differs from the previous run's. */
  onlyWhenChanged: boolean;
  /** Extra material the agent gets: `workspace-changes` = what changed in the workspace since the previous run. */
  context: "none" | "workspace-changes";
  status: TaskStatus;
  pausedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRunRow {
  id: string;
  taskId: string;
  status: TaskRunStatus;
  /** What started it: its schedule, a person (run now), or a retry. */
  trigger: "schedule" | "manual" | "retry";
  attempt: number;
  scheduledFor: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The agent run (provenance, tokens) and the canvas it wrote to. */
  aiRunId: string | null;
  canvasId: string | null;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  /** What the run produced (its suggestions' text, or its reply). */
  output: string | null;
  /** Whether the output differs from the previous run's; whether it was kept. */
  changed: boolean | null;
  kept: boolean | null;
  error: string | null;
  /** Anything else worth telling (ran late after downtime, discarded as unchanged). */
  note: string | null;
}

/** Tasks per workspace and their run history. */
export interface TaskStore {
  createTask(task: Omit<TaskRow, "createdAt" | "updatedAt">): Promise<TaskRow>;
  updateTask(id: string, fields: Partial<Omit<TaskRow, "id" | "workspaceId" | "ownerId" | "createdAt" | "updatedAt">>): Promise<void>;
  getTask(id: string): Promise<TaskRow | null>;
  listTasks(workspaceId: string): Promise<TaskRow[]>;
  /** Tasks a person owns in a workspace (to pause them when they leave it). */
  listTasksOwnedBy(workspaceId: string, ownerId: string): Promise<TaskRow[]>;
  deleteTask(id: string): Promise<void>;
  createRun(run: Pick<TaskRunRow, "id" | "taskId" | "trigger" | "attempt" | "scheduledFor" | "startedAt"> & Partial<TaskRunRow>): Promise<void>;
  updateRun(id: string, fields: Partial<Omit<TaskRunRow, "id" | "taskId">>): Promise<void>;
  getRun(id: string): Promise<TaskRunRow | null>;
  /** Newest first. */
  listRuns(taskId: string, limit: number): Promise<TaskRunRow[]>;
  /** The latest finished run before `beforeStartedAt` whose output was kept. */
  previousKeptRun(taskId: string, beforeStartedAt: string): Promise<TaskRunRow | null>;
  /** Marks the task's runs still `running` as interrupted (their holder died); returns them. */
  interruptRunning(taskId: string, finishedAt: string, error: string): Promise<TaskRunRow[]>;
}

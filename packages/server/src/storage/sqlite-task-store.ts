import type Database from "better-sqlite3";
import type { TaskRow, TaskRunRow, TaskStore } from "./task-store.ts";

const now = () => new Date().toISOString();
const flag = (value: unknown) => (value === null || value === undefined ? null : value ? 1 : 0);

const taskFrom = (row: any): TaskRow => ({
  id: row.id,
  workspaceId: row.workspace_id,
  ownerId: row.owner_id,
  name: row.name,
  agentId: row.agent_id,
  instruction: row.instruction,
  target: JSON.parse(row.target),
  schedule: JSON.parse(row.schedule),
  timeZone: row.time_zone,
  missedPolicy: row.missed_policy,
  retries: row.retries,
  onlyWhenChanged: row.only_when_changed === 1,
  context: row.context,
  status: row.status,
  pausedReason: row.paused_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const runFrom = (row: any): TaskRunRow => ({
  id: row.id,
  taskId: row.task_id,
  status: row.status,
  trigger: row.trigger,
  attempt: row.attempt,
  scheduledFor: row.scheduled_for,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  aiRunId: row.ai_run_id,
  canvasId: row.canvas_id,
  model: row.model,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  output: row.output,
  changed: row.changed === null ? null : row.changed === 1,
  kept: row.kept === null ? null : row.kept === 1,
  error: row.error,
  note: row.note,
});

const taskColumns: Record<string, [string, (value: any) => unknown]> = {
  name: ["name", (value) => value],
  agentId: ["agent_id", (value) => value],
  instruction: ["instruction", (value) => value],
  target: ["target", (value) => JSON.stringify(value)],
  schedule: ["schedule", (value) => JSON.stringify(value)],
  timeZone: ["time_zone", (value) => value],
  missedPolicy: ["missed_policy", (value) => value],
  retries: ["retries", (value) => value],
  onlyWhenChanged: ["only_when_changed", flag],
  context: ["context", (value) => value],
  status: ["status", (value) => value],
  pausedReason: ["paused_reason", (value) => value],
};

const runColumns: Record<string, [string, (value: any) => unknown]> = {
  status: ["status", (value) => value],
  trigger: ["trigger", (value) => value],
  attempt: ["attempt", (value) => value],
  scheduledFor: ["scheduled_for", (value) => value],
  startedAt: ["started_at", (value) => value],
  finishedAt: ["finished_at", (value) => value],
  aiRunId: ["ai_run_id", (value) => value],
  canvasId: ["canvas_id", (value) => value],
  model: ["model", (value) => value],
  tokensIn: ["tokens_in", (value) => value],
  tokensOut: ["tokens_out", (value) => value],
  output: ["output", (value) => value],
  changed: ["changed", flag],
  kept: ["kept", flag],
  error: ["error", (value) => value],
  note: ["note", (value) => value],
};

function assignments(columns: Record<string, [string, (value: any) => unknown]>, fields: Record<string, unknown>) {
  const entries = Object.entries(fields).filter(([key, value]) => columns[key] && value !== undefined);
  return { sql: entries.map(([key]) => `${columns[key]![0]} = ?`).join(", "), values: entries.map(([key, value]) => columns[key]![1](value)), empty: entries.length === 0 };
}

export class SqliteTaskStore implements TaskStore {
  constructor(private readonly db: Database.Database) {}

  async createTask(task: Omit<TaskRow, "createdAt" | "updatedAt">) {
    const createdAt = now();
    this.db
      .prepare(
        "INSERT INTO tasks (id, workspace_id, owner_id, name, agent_id, instruction, target, schedule, time_zone, missed_policy, retries, only_when_changed, context, status, paused_reason, created_at, updated_at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        task.id,
        task.workspaceId,
        task.ownerId,
        task.name,
        task.agentId,
        task.instruction,
        JSON.stringify(task.target),
        JSON.stringify(task.schedule),
        task.timeZone,
        task.missedPolicy,
        task.retries,
        task.onlyWhenChanged ? 1 : 0,
        task.context,
        task.status,
        task.pausedReason,
        createdAt,
        createdAt,
      );
    return { ...task, createdAt, updatedAt: createdAt };
  }
  async updateTask(id: string, fields: Parameters<TaskStore["updateTask"]>[1]) {
    const { sql, values, empty } = assignments(taskColumns, fields);
    if (empty) return;
    this.db.prepare(`UPDATE tasks SET ${sql}, updated_at = ? WHERE id = ?`).run(...values, now(), id);
  }
  async getTask(id: string) {
    const row = this.db.prepare("SELECT * FROM tasks WHERE id = ?").get(id);
    return row ? taskFrom(row) : null;
  }
  async listTasks(workspaceId: string) {
    return this.db.prepare("SELECT * FROM tasks WHERE workspace_id = ? ORDER BY created_at, id").all(workspaceId).map(taskFrom);
  }
  async listTasksOwnedBy(workspaceId: string, ownerId: string) {
    return this.db.prepare("SELECT * FROM tasks WHERE workspace_id = ? AND owner_id = ? ORDER BY created_at, id").all(workspaceId, ownerId).map(taskFrom);
  }
  async deleteTask(id: string) {
    this.db.prepare("DELETE FROM tasks WHERE id = ?").run(id);
  }
  async createRun(run: Parameters<TaskStore["createRun"]>[0]) {
    this.db
      .prepare("INSERT INTO task_runs (id, task_id, status, trigger, attempt, scheduled_for, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(run.id, run.taskId, run.status ?? "running", run.trigger, run.attempt, run.scheduledFor, run.startedAt);
    const { id, taskId, trigger, attempt, scheduledFor, startedAt, status, ...rest } = run;
    await this.updateRun(id, rest);
  }
  async updateRun(id: string, fields: Parameters<TaskStore["updateRun"]>[1]) {
    const { sql, values, empty } = assignments(runColumns, fields);
    if (empty) return;
    this.db.prepare(`UPDATE task_runs SET ${sql} WHERE id = ?`).run(...values, id);
  }
  async getRun(id: string) {
    const row = this.db.prepare("SELECT * FROM task_runs WHERE id = ?").get(id);
    return row ? runFrom(row) : null;
  }
  async listRuns(taskId: string, limit: number) {
    return this.db.prepare("SELECT * FROM task_runs WHERE task_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?").all(taskId, limit).map(runFrom);
  }
  async previousKeptRun(taskId: string, beforeStartedAt: string) {
    const row = this.db
      .prepare("SELECT * FROM task_runs WHERE task_id = ? AND status = 'done' AND kept = 1 AND started_at < ? ORDER BY started_at DESC, rowid DESC LIMIT 1")
      .get(taskId, beforeStartedAt);
    return row ? runFrom(row) : null;
  }
  async interruptRunning(taskId: string, finishedAt: string, error: string) {
    const rows = this.db.prepare("SELECT * FROM task_runs WHERE task_id = ? AND status = 'running'").all(taskId).map(runFrom);
    this.db.prepare("UPDATE task_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE task_id = ? AND status = 'running'").run(finishedAt, error, taskId);
    return rows;
  }
}

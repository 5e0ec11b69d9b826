import { useState } from "react";
import type { Canvas } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction, useResource } from "../ui/use-resource.ts";
import { TaskForm } from "./task-form.tsx";
import { useTaskRuns, useTasks, type Task } from "./use-tasks.ts";
import "./tasks.css";

/** A workspace's Tasks page: every task, its next run, run now / pause / resume / delete, and its history. */
export function TasksPanel({ workspaceId }: { workspaceId: string }) {
  const tasks = useTasks(workspaceId);
  const canvases = useResource(`canvases:${workspaceId}`, async () => (await api.get<{ items: Canvas[] }>(`/api/workspaces/${workspaceId}/canvases`)).items);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const action = useAction();

  return (
    <section className="tasks-panel" data-testid="tasks-panel">
      <div className="tasks-heading">
        <p>Work that goes on without you: an agent, an instruction and a schedule. Runs write into canvases like any AI change.</p>
        <button type="button" className="primary" onClick={() => setCreating(!creating)} data-testid="new-task">
          {creating ? "Close" : "New task"}
        </button>
      </div>
      {creating && canvases.data && <TaskForm workspaceId={workspaceId} canvases={canvases.data} onCreate={tasks.create} onDone={() => setCreating(false)} />}
      <ErrorBanner message={tasks.error ?? action.error} />
      <ul className="task-list">
        {tasks.data?.length === 0 && <li className="empty">No tasks yet.</li>}
        {tasks.data?.map((task) => (
          <li key={task.id} className="task-row" data-testid="task-row" data-task-id={task.id}>
            <div className="task-summary">
              <button type="button" className="link" onClick={() => setOpen(open === task.id ? null : task.id)} data-testid="task-open">
                {task.name}
              </button>
              <span className={`task-status ${task.status}`} data-testid="task-status">
                {task.running ? "running" : task.status}
              </span>
              <span className="task-schedule">
                {task.schedule.phrase ?? (task.schedule.kind === "cron" ? task.schedule.cron : formatTime(task.schedule.at))} · {task.timeZone}
              </span>
              <span className="task-next" data-testid="task-next">{task.nextRunAt ? `next ${formatTime(task.nextRunAt)}` : ""}</span>
              <div className="spacer" />
              <button type="button" onClick={() => void action.run(() => tasks.runNow(task.id)).then(() => setOpen(task.id))} disabled={task.running} data-testid="task-run-now">
                Run now
              </button>
              {task.status === "paused" ? (
                <button type="button" onClick={() => void action.run(() => tasks.resume(task.id))} data-testid="task-resume">
                  Resume
                </button>
              ) : (
                <button type="button" onClick={() => void action.run(() => tasks.pause(task.id))} disabled={task.status !== "active"} data-testid="task-pause">
                  Pause
                </button>
              )}
              <button type="button" className="danger-quiet" onClick={() => window.confirm(`Delete the task “${task.name}” and its history?`) && void action.run(() => tasks.remove(task.id))} data-testid="task-delete">
                Delete
              </button>
            </div>
            {task.pausedReason && <p className="task-paused-reason">Paused: {task.pausedReason}</p>}
            {open === task.id && <TaskRuns task={task} onChange={() => void tasks.reload()} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function TaskRuns({ task, onChange }: { task: Task; onChange(): void }) {
  const runs = useTaskRuns(task.id, task.running);
  const [wasRunning, setWasRunning] = useState(false);
  const running = Boolean(runs.data?.some((run) => run.running));
  if (running !== wasRunning) {
    setWasRunning(running);
    if (!running) onChange();
  }
  return (
    <table className="task-runs" data-testid="task-runs">
      <thead>
        <tr>
          <th>Status</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Tokens</th>
          <th>Model</th>
          <th>Output</th>
        </tr>
      </thead>
      <tbody>
        {runs.data?.map((run) => (
          <tr key={run.id} data-testid="task-run" data-status={run.status}>
            <td>
              {run.status}
              {run.attempt > 1 ? ` (try ${run.attempt})` : ""}
            </td>
            <td>{formatTime(run.startedAt)}</td>
            <td>{run.durationMs === null ? "…" : `${(run.durationMs / 1000).toFixed(1)} s`}</td>
            <td>{run.tokensIn === null ? "" : `${run.tokensIn} in / ${run.tokensOut ?? 0} out`}</td>
            <td>{run.model ?? ""}</td>
            <td>
              {run.canvasId && <a href={`/c/${run.canvasId}`}>open canvas</a>} <span className="task-output" data-testid="task-run-output">{run.output}</span>
              {run.error && <p className="form-error">{run.error}</p>}
              {run.note && <p className="task-note">{run.note}</p>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

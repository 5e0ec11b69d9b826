import { useEffect, useState } from "react";
import { api, errorMessage } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

export type TaskTarget = { kind: "canvas"; canvasId: string; mode: "append" | "suggest" } | { kind: "new-canvas"; titleTemplate: string } | { kind: "reminder" };

export interface Task {
  id: string;
  name: string;
  agentId: string;
  instruction: string;
  target: TaskTarget;
  schedule: { kind: "cron"; cron: string; phrase: string | null } | { kind: "once"; at: string; phrase: string | null };
  timeZone: string;
  status: "active" | "paused" | "finished";
  pausedReason: string | null;
  ownerName: string | null;
  nextRunAt: string | null;
  running: boolean;
}

export interface TaskRun {
  id: string;
  status: string;
  trigger: string;
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  canvasId: string | null;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  output: string | null;
  changed: boolean | null;
  kept: boolean | null;
  error: string | null;
  note: string | null;
  running: boolean;
}

/** The browser's IANA time zone: a new task's default. */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A workspace's tasks and what can be done with them. */
export function useTasks(workspaceId: string) {
  const path = `/api/workspaces/${workspaceId}/tasks`;
  const resource = useResource(path, async () => (await api.get<{ items: Task[] }>(path)).items);
  const act = (action: () => Promise<unknown>) => async () => {
    await action();
    await resource.reload();
  };
  return {
    ...resource,
    create: async (body: object) => {
      const task = await api.post<Task>(path, body);
      await resource.reload();
      return task;
    },
    runNow: (id: string) => act(() => api.post(`/api/tasks/${id}/run`))(),
    pause: (id: string) => act(() => api.post(`/api/tasks/${id}/pause`))(),
    resume: (id: string) => act(() => api.post(`/api/tasks/${id}/resume`))(),
    remove: (id: string) => act(() => api.delete(`/api/tasks/${id}`))(),
  };
}

/** A task's run history, refreshed every second while a run is going on. */
export function useTaskRuns(taskId: string, refreshKey: unknown) {
  const path = `/api/tasks/${taskId}/runs`;
  const resource = useResource(path, async () => (await api.get<{ items: TaskRun[] }>(path)).items);
  const running = resource.data?.some((run) => run.running || run.status === "running");
  useEffect(() => {
    void resource.reload();
  }, [refreshKey]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void resource.reload(), 1000);
    return () => clearInterval(timer);
  }, [running, resource]);
  return resource;
}

/** The next five runs of a schedule as typed, or why it is refused (checked by the server as you type). */
export function useSchedulePreview(schedule: { phrase: string } | { cron: string }, timeZone: string) {
  const [state, setState] = useState<{ nextRuns: string[]; error: string | null }>({ nextRuns: [], error: null });
  const text = "phrase" in schedule ? schedule.phrase : schedule.cron;
  useEffect(() => {
    if (!text.trim()) {
      setState({ nextRuns: [], error: null });
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const answer = await api.post<{ nextRuns: string[] }>("/api/schedules/preview", { schedule, timeZone });
        if (current) setState({ nextRuns: answer.nextRuns, error: null });
      } catch (error) {
        if (current) setState({ nextRuns: [], error: errorMessage(error) });
      }
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, timeZone]); // eslint-disable-line react-hooks/exhaustive-deps
  return state;
}

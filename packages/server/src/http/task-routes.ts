import { diffLines, docFromState, readSuggestions } from "@cocanvas/content";
import { ApiError, roleAtLeast, SchedulePreviewBody, TaskCreateBody, TaskPatchBody } from "@cocanvas/protocol";
import type { Services } from "../services.ts";
import type { TaskRow, TaskRunRow } from "../storage/task-store.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";

export function addTaskRoutes(api: ApiRouter, services: Services) {
  const { storage, access, tasks, documents } = services;
  const me = (context: ApiContext) => context.get("user")!;

  async function taskJson(task: TaskRow) {
    const owner = await storage.getUserById(task.ownerId);
    return {
      ...task,
      ownerName: owner?.name ?? null,
      running: tasks.isRunning(task.id),
      nextRunAt: await tasks.nextRunAt(task),
      nextRuns: tasks.upcoming(task),
    };
  }

  /** A task the caller can see (any member of its workspace); 404 otherwise. */
  async function taskFor(context: ApiContext, id = context.req.param("id")!) {
    const task = await tasks.get(id);
    const role = task ? await access.workspaceRole(me(context).id, task.workspaceId) : null;
    if (!task || !role) throw new ApiError("not_found", "There is no such task.");
    return { task, role };
  }

  /** A task the caller may change: its owner, or a workspace owner. */
  async function taskToChange(context: ApiContext) {
    const { task, role } = await taskFor(context);
    if (task.ownerId !== me(context).id && role !== "owner") throw new ApiError("forbidden", "Only the task's owner or a workspace owner may change it.");
    return task;
  }

  async function runFor(context: ApiContext) {
    const run = await storage.tasks.getRun(context.req.param("id")!);
    if (!run) throw new ApiError("not_found", "There is no such task run.");
    const { task, role } = await taskFor(context, run.taskId).catch(() => {
      throw new ApiError("not_found", "There is no such task run.");
    });
    return { run, task, role };
  }

  /** A run's output: while it runs, read live from its canvas (the suggestions streaming in). */
  function outputOf(run: TaskRunRow): string | null {
    if (!tasks.isRunRunning(run.id) || !run.canvasId || !run.aiRunId) return run.output;
    const doc = docFromState(documents.currentState(run.canvasId));
    try {
      return readSuggestions(doc)
        .filter((suggestion) => suggestion.runId === run.aiRunId)
        .map((suggestion) => suggestion.newText)
        .join("\n\n");
    } finally {
      doc.destroy();
    }
  }

  api.add("post", "/api/schedules/preview", { summary: "Check a schedule (phrase, cron or time) and show its next five runs", body: SchedulePreviewBody }, async (context, body) => {
    return context.json(tasks.preview(body.schedule, body.timeZone));
  });

  api.add("get", "/api/workspaces/{id}/tasks", { summary: "The workspace's tasks with their next run", role: "viewer" }, async (context) => {
    const { workspace } = await access.requireWorkspace(me(context).id, context.req.param("id")!, "viewer");
    return context.json({ items: await Promise.all((await tasks.list(workspace.id)).map(taskJson)) });
  });

  api.add(
    "post",
    "/api/workspaces/{id}/tasks",
    { summary: "Create a task: an agent, an instruction, a target (canvas, new canvas per run, reminder) and a schedule (phrase, cron or time) in a time zone", role: "commenter", body: TaskCreateBody, success: 201 },
    async (context, body) => {
      const { workspace } = await access.requireWorkspace(me(context).id, context.req.param("id")!, "commenter");
      const task = await tasks.create(me(context).id, workspace.id, body);
      return context.json(await taskJson(task), 201);
    },
  );

  api.add("get", "/api/tasks/{id}", { summary: "One task, its next five runs and whether it is running", role: "viewer" }, async (context) => {
    const { task } = await taskFor(context);
    return context.json(await taskJson(task));
  });

  api.add("patch", "/api/tasks/{id}", { summary: "Change a task (its owner or a workspace owner)", body: TaskPatchBody }, async (context, body) => {
    const task = await taskToChange(context);
    return context.json(await taskJson(await tasks.update(task, body)));
  });

  api.add("delete", "/api/tasks/{id}", { summary: "Delete a task and its history (its owner or a workspace owner); a running run is cancelled", success: 204 }, async (context) => {
    await tasks.delete(await taskToChange(context));
    return context.body(null, 204);
  });

  api.add("post", "/api/tasks/{id}/pause", { summary: "Pause a task: no more scheduled runs until it is resumed" }, async (context) => {
    const task = await taskToChange(context);
    await tasks.pause(task);
    return context.json(await taskJson((await tasks.get(task.id))!));
  });

  api.add("post", "/api/tasks/{id}/resume", { summary: "Resume a paused task from its next occurrence" }, async (context) => {
    const task = await taskToChange(context);
    if (!(await access.workspaceRole(task.ownerId, task.workspaceId))) throw new ApiError("conflict", "The task's owner is no longer a member of the workspace; it cannot run.");
    return context.json(await taskJson(await tasks.resume(task)));
  });

  api.add("post", "/api/tasks/{id}/run", { summary: "Run a task now (also a paused one); 409 while it is running", success: 202 }, async (context) => {
    const task = await taskToChange(context);
    await tasks.runNow(task);
    return context.json({ queued: true }, 202);
  });

  api.add("get", "/api/tasks/{id}/runs", { summary: "A task's run history, newest first", role: "viewer", query: { limit: "at most this many (default 50, at most 200)" } }, async (context) => {
    const { task } = await taskFor(context);
    const limit = Math.min(200, Math.max(1, Number(context.req.query("limit") ?? 50) || 50));
    const runs = await storage.tasks.listRuns(task.id, limit);
    return context.json({ items: runs.map((run) => ({ ...run, output: outputOf(run), running: tasks.isRunRunning(run.id), durationMs: run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null })) });
  });

  api.add("get", "/api/task-runs/{id}", { summary: "One run: status, timing, tokens, model, output (live while it runs), its diff against the previous kept run, error", role: "viewer" }, async (context) => {
    const { run } = await runFor(context);
    const output = outputOf(run);
    const previous = await storage.tasks.previousKeptRun(run.taskId, run.startedAt);
    return context.json({
      ...run,
      output,
      running: tasks.isRunRunning(run.id),
      durationMs: run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null,
      previousRunId: previous?.id ?? null,
      diff: previous ? diffLines(previous.output ?? "", output ?? "") : null,
    });
  });

  api.add("post", "/api/task-runs/{id}/cancel", { summary: "Cancel a running run (the task's owner or a workspace owner); what it wrote stays as partial suggestions" }, async (context) => {
    const { run, task, role } = await runFor(context);
    if (task.ownerId !== me(context).id && !roleAtLeast(role, "owner")) throw new ApiError("forbidden", "Only the task's owner or a workspace owner may cancel its runs.");
    return context.json({ cancelled: tasks.cancel(run.id) });
  });
}

import { z } from "zod";

/** A schedule as a person gives it: an English phrase, a cron expression, or one instant (ISO 8601). */
export const ScheduleBody = z.union([
  z.strictObject({ phrase: z.string().trim().min(1).max(200) }),
  z.strictObject({ cron: z.string().trim().min(1).max(200) }),
  z.strictObject({ at: z.string().trim().min(1).max(100) }),
]);

/** Where a task's runs write. */
export const TaskTargetBody = z.discriminatedUnion("kind", [
  /** append: a dated section at the end of the canvas each run; suggest: suggested edits to it. */
  z.strictObject({ kind: z.literal("canvas"), canvasId: z.string().min(1).max(100), mode: z.enum(["append", "suggest"]) }),
  /** A new doc canvas per run; `{date}`, `{time}` and `{task}` in the title are filled in. */
  z.strictObject({ kind: z.literal("new-canvas"), titleTemplate: z.string().trim().min(1).max(200) }),
  /** Nothing is written: the run only reminds its owner. */
  z.strictObject({ kind: z.literal("reminder") }),
]);

const timeZone = z.string().trim().min(1).max(64);
const taskFields = {
  name: z.string().trim().min(1).max(120),
  /** `builtin:writer` or a workspace agent's id. */
  agentId: z.string().min(1).max(100),
  instruction: z.string().trim().min(1).max(20_000),
  target: TaskTargetBody,
  schedule: ScheduleBody,
  /** IANA zone the schedule is read in (the web app sends the browser's). */
  timeZone,
  /** After downtime: run a missed occurrence once now, or skip it. */
  missedPolicy: z.enum(["run-once", "skip"]),
  /** Tries after a failed or interrupted run. */
  retries: z.number().int().min(0).max(5),
  /** Keep a run's output (and notify) only when it differs from the previous run's. */
  onlyWhenChanged: z.boolean(),
  /** `workspace-changes`: the agent also gets what changed in the workspace since the previous run. */
  context: z.enum(["none", "workspace-changes"]),
};

export const TaskCreateBody = z.strictObject({
  ...taskFields,
  agentId: taskFields.agentId.default("builtin:assistant"),
  timeZone: timeZone.default("UTC"),
  missedPolicy: taskFields.missedPolicy.default("run-once"),
  retries: taskFields.retries.default(1),
  onlyWhenChanged: taskFields.onlyWhenChanged.default(false),
  context: taskFields.context.default("none"),
});
export const TaskPatchBody = z.strictObject(taskFields).partial();
export const SchedulePreviewBody = z.strictObject({ schedule: ScheduleBody, timeZone: timeZone.default("UTC") });

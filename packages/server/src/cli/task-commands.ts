import type { Command, Option } from "commander";
import { ApiError, TaskCreateBody } from "@cocanvas/protocol";
import { Access } from "../access.ts";
import { AgentDirectory } from "../agents/agent-directory.ts";
import type { Config } from "../config.ts";
import { createLogger } from "../logger.ts";
import { systemClock } from "../scheduler/clock.ts";
import type { Storage } from "../storage/storage.ts";
import type { TaskRow } from "../storage/task-store.ts";
import { Tasks } from "../tasks/index.ts";

interface Helpers {
  dataDirOption(): Option;
  withData(options: { dataDir?: string }, work: (data: { storage: Storage; config: Config }) => Promise<void>): Promise<void>;
}

interface CreateOptions {
  workspace: string;
  owner: string;
  name: string;
  instruction: string;
  every?: string;
  cron?: string;
  at?: string;
  agent: string;
  canvas?: string;
  mode: string;
  newCanvas?: string;
  reminder?: boolean;
  timeZone: string;
  skipMissed?: boolean;
  retries: string;
  onlyWhenChanged?: boolean;
  digest?: boolean;
  dataDir?: string;
}

/** Tasks over the data folder: definitions and the queue (a running server picks queued runs up within COCANVAS_SCHEDULER_POLL_SECONDS). */
function tasksOf(storage: Storage, config: Config): Tasks {
  return new Tasks({
    storage,
    access: new Access(storage),
    agents: new AgentDirectory(storage.agents),
    clock: systemClock,
    logger: createLogger("silent"),
    minIntervalSeconds: config.taskMinIntervalSeconds,
    retryDelayMs: config.taskRetrySeconds * 1000,
  });
}

function describe(task: TaskRow, nextRunAt: string | null): string {
  const schedule = task.schedule.phrase ?? (task.schedule.kind === "cron" ? task.schedule.cron : task.schedule.at);
  const target = task.target.kind === "canvas" ? `${task.target.mode} → canvas ${task.target.canvasId}` : task.target.kind === "new-canvas" ? `new canvas "${task.target.titleTemplate}"` : "reminder";
  return `${task.id}  ${task.status.padEnd(8)}  ${task.name}  [${schedule}, ${task.timeZone}]  ${target}  next: ${nextRunAt ?? "—"}${task.pausedReason ? `  (${task.pausedReason})` : ""}`;
}

/** `cocanvas task list|create|run|pause|resume|delete`. */
export function addTaskCommands(program: Command, { dataDirOption, withData }: Helpers) {
  const task = program.command("task").description("scheduled agent work (a running server runs it)");
  const withTasks = (options: { dataDir?: string }, work: (tasks: Tasks, storage: Storage) => Promise<void>) => withData(options, ({ storage, config }) => work(tasksOf(storage, config), storage));
  const find = async (tasks: Tasks, id: string) => {
    const row = await tasks.get(id);
    if (!row) throw new ApiError("not_found", `No task ${id}.`);
    return row;
  };

  task
    .command("list")
    .description("list tasks of every workspace (or one) with their next run")
    .option("--workspace <id>")
    .addOption(dataDirOption())
    .action(async (options: { workspace?: string; dataDir?: string }) => {
      await withTasks(options, async (tasks, storage) => {
        const workspaces = options.workspace ? [await storage.getWorkspace(options.workspace)] : await storage.listAllWorkspaces();
        for (const workspace of workspaces) {
          if (!workspace) throw new ApiError("not_found", `No workspace ${options.workspace}.`);
          for (const row of await tasks.list(workspace.id)) console.log(describe(row, await tasks.nextRunAt(row)));
        }
      });
    });

  task
    .command("create")
    .description('create a task; prints its id last. Schedule with --every "every weekday at 8", --cron "0 8 * * 1-5" or --at ISO')
    .requiredOption("--workspace <id>")
    .requiredOption("--owner <email>", "whose task it is (it runs with their rights)")
    .requiredOption("--name <name>")
    .requiredOption("--instruction <text>")
    .option("--every <phrase>", 'an English schedule: "every weekday at 8", "every 2 hours", "tomorrow at noon"')
    .option("--cron <expression>", "a cron expression (5 or 6 fields)")
    .option("--at <iso>", "once, at this ISO 8601 time")
    .option("--agent <id>", "builtin:writer, builtin:critic … or a workspace agent's id", "builtin:assistant")
    .option("--canvas <id>", "write into this canvas")
    .option("--mode <mode>", "with --canvas: append (a dated section) or suggest (edits)", "append")
    .option("--new-canvas <title>", "write a new canvas per run; {date}, {time}, {task} are filled in")
    .option("--reminder", "write nothing; only remind the owner")
    .option("--time-zone <zone>", "IANA time zone of the schedule", Intl.DateTimeFormat().resolvedOptions().timeZone)
    .option("--skip-missed", "skip occurrences missed while the server was down (default: run once)")
    .option("--retries <n>", "tries after a failed or interrupted run", "1")
    .option("--only-when-changed", "keep a run's output only when it differs from the previous one")
    .option("--digest", "give the agent what changed in the workspace since the previous run")
    .addOption(dataDirOption())
    .action(async (options: CreateOptions) => {
      const schedules = [options.every && { phrase: options.every }, options.cron && { cron: options.cron }, options.at && { at: options.at }].filter(Boolean);
      if (schedules.length !== 1) throw new ApiError("invalid_request", "Give exactly one of --every, --cron or --at.");
      const targets = [options.canvas && { kind: "canvas", canvasId: options.canvas, mode: options.mode }, options.newCanvas && { kind: "new-canvas", titleTemplate: options.newCanvas }, options.reminder && { kind: "reminder" }].filter(Boolean);
      if (targets.length !== 1) throw new ApiError("invalid_request", "Give exactly one of --canvas, --new-canvas or --reminder.");
      const parsed = TaskCreateBody.safeParse({
        name: options.name,
        agentId: options.agent,
        instruction: options.instruction,
        target: targets[0],
        schedule: schedules[0],
        timeZone: options.timeZone,
        missedPolicy: options.skipMissed ? "skip" : "run-once",
        retries: Number(options.retries),
        onlyWhenChanged: Boolean(options.onlyWhenChanged),
        context: options.digest ? "workspace-changes" : "none",
      });
      if (!parsed.success) throw new ApiError("invalid_request", `${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
      await withTasks(options, async (tasks, storage) => {
        const owner = await storage.getUserByEmail(options.owner.trim().toLowerCase());
        if (!owner || !(await storage.getMemberRole(options.workspace, owner.id))) throw new ApiError("not_found", `${options.owner} is not a member of workspace ${options.workspace}.`);
        const created = await tasks.create(owner.id, options.workspace, parsed.data);
        for (const at of tasks.upcoming(created)) console.log(`next: ${at}`);
        console.log(created.id);
      });
    });

  const change = (name: string, description: string, work: (tasks: Tasks, row: TaskRow) => Promise<string>) =>
    task
      .command(`${name} <id>`)
      .description(description)
      .addOption(dataDirOption())
      .action(async (id: string, options: { dataDir?: string }) => {
        await withTasks(options, async (tasks) => console.log(await work(tasks, await find(tasks, id))));
      });
  change("run", "run a task now (the running server starts it within its poll interval)", async (tasks, row) => {
    await tasks.runNow(row);
    return `Queued ${row.name} to run now.`;
  });
  change("pause", "pause a task", async (tasks, row) => {
    await tasks.pause(row);
    return `Paused ${row.name}.`;
  });
  change("resume", "resume a paused task", async (tasks, row) => {
    const resumed = await tasks.resume(row);
    return `Resumed ${row.name}; next run ${(await tasks.nextRunAt(resumed)) ?? "—"}.`;
  });
  change("delete", "delete a task and its history", async (tasks, row) => {
    await tasks.delete(row);
    return `Deleted ${row.name}.`;
  });
}

/**
 * The scheduler at 1k, 10k and 100k scheduled tasks, against a plain croner timer per task
 * in the same run. Each size runs in its own process (clean memory numbers):
 *  - memory per task: heap and RSS after a full GC, before and after the tasks exist;
 *  - idle CPU: CPU time per second over 10 s while every task waits for tomorrow;
 *  - lateness: 100 more tasks due at the same instant, run through the real agent
 *    runtime with a scripted model (`suggest` on 100 canvases); lateness = start − due.
 *
 *   npx tsx bench/tasks/run.ts [--sizes=1000,10000,100000] [--write]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Cron } from "croner";
import { startServer } from "@cocanvas/server";
import { scriptedModels } from "../../tests/fixtures/scripted-model.ts";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";
import { machineInfo } from "../collab/report.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const sameInstant = 100;
const idleSeconds = 10;

interface Result {
  kind: "cocanvas" | "croner";
  tasks: number;
  heapPerTask: number;
  rssPerTask: number;
  idleCpuMsPerSecond: number;
  lateP50: number;
  lateP99: number;
  lateMax: number;
}

const settle = async () => {
  for (let index = 0; index < 3; index++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return process.memoryUsage();
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
async function idleCpu(): Promise<number> {
  // Let the work of setting up (SQLite's WAL checkpoint of the bulk insert, GC) finish first.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / idleSeconds;
}

async function cocanvas(count: number): Promise<Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-tasks-"));
  const models = scriptedModels();
  models.use((_call, step) => (step === 0 ? [{ tool: "insert", input: { after: "", text: "The lights came on." } }] : [{ text: "Done." }]));
  const server = await startServer({ port: 0, dataDir, logLevel: "silent", webDir: null, models, taskConcurrency: sameInstant, taskWorkspaceConcurrency: sameInstant });
  const owner = await server.storage.createUser({ id: "bench-owner", email: "bench@example.com", name: "Bench", passwordHash: "-", isAdmin: false });
  const workspace = await server.storage.createWorkspace("Bench", owner.id);
  const canvases: { id: string }[] = [];
  for (let index = 0; index < sameInstant; index++) canvases.push(await server.storage.createCanvas({ workspaceId: workspace.id, title: `Canvas ${index}`, kind: "doc", createdBy: owner.id }));
  const before = await settle();

  // The waiting tasks: reminders spread over the next day (inserted in one transaction).
  const db = new Database(path.join(dataDir, "cocanvas.db"));
  const now = Date.now();
  const created = new Date(now).toISOString();
  const insertTask = db.prepare(
    "INSERT INTO tasks (id, workspace_id, owner_id, name, agent_id, instruction, target, schedule, time_zone, missed_policy, retries, only_when_changed, context, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'builtin:writer', ?, ?, ?, 'UTC', 'run-once', 1, 0, 'none', 'active', ?, ?)",
  );
  const insertJob = db.prepare("INSERT INTO due_jobs (id, kind, group_key, due_at, attempt, payload) VALUES (?, 'task', ?, ?, 1, '{\"trigger\":\"schedule\"}')");
  db.transaction(() => {
    for (let index = 0; index < count; index++) {
      const id = `wait-${index}`;
      insertTask.run(id, workspace.id, owner.id, id, "Remind me", JSON.stringify({ kind: "reminder" }), JSON.stringify({ kind: "cron", cron: "0 9 * * *", phrase: null }), created, created);
      insertJob.run(id, workspace.id, now + 3_600_000 + Math.floor(Math.random() * 86_400_000));
    }
  })();
  server.scheduler.wake();
  const after = await settle();
  const idle = await idleCpu();

  // 100 tasks due at the same instant, each an agent run on its own canvas.
  const due = Date.now() + 2000;
  db.transaction(() => {
    canvases.forEach((canvas, index) => {
      const id = `now-${index}`;
      insertTask.run(id, workspace.id, owner.id, id, "Continue.", JSON.stringify({ kind: "canvas", canvasId: canvas.id, mode: "suggest" }), JSON.stringify({ kind: "cron", cron: "0 9 * * *", phrase: null }), created, created);
      insertJob.run(id, workspace.id, due);
    });
  })();
  server.scheduler.wake();
  const finished = db.prepare("SELECT COUNT(*) FROM task_runs WHERE task_id LIKE 'now-%' AND status <> 'running'").pluck();
  const deadline = Date.now() + 120_000;
  while ((finished.get() as number) < sameInstant && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const runs = db.prepare("SELECT scheduled_for, started_at, status FROM task_runs WHERE task_id LIKE 'now-%'").all() as { scheduled_for: string; started_at: string; status: string }[];
  if (runs.length < sameInstant || runs.some((run) => run.status !== "done")) throw new Error(`only ${runs.filter((run) => run.status === "done").length} of ${sameInstant} runs finished`);
  const late = runs.map((run) => Date.parse(run.started_at) - Date.parse(run.scheduled_for));
  db.close();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    kind: "cocanvas",
    tasks: count,
    heapPerTask: (after.heapUsed - before.heapUsed) / count,
    rssPerTask: (after.rss - before.rss) / count,
    idleCpuMsPerSecond: idle,
    lateP50: percentile(late, 50),
    lateP99: percentile(late, 99),
    lateMax: Math.max(...late),
  };
}

async function croner(count: number): Promise<Result> {
  const before = await settle();
  const jobs: Cron[] = [];
  for (let index = 0; index < count; index++) {
    const at = new Date(Date.now() + 3_600_000 + Math.floor(Math.random() * 86_400_000));
    jobs.push(new Cron(`${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`, { timezone: "UTC" }, () => {}));
  }
  const after = await settle();
  const idle = await idleCpu();
  const due = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
  const late: number[] = [];
  await new Promise<void>((resolve) => {
    for (let index = 0; index < sameInstant; index++) {
      jobs.push(
        new Cron(`${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`, { timezone: "UTC", maxRuns: 1 }, () => {
          late.push(Date.now() - due.getTime());
          if (late.length === sameInstant) resolve();
        }),
      );
    }
  });
  for (const job of jobs) job.stop();
  return {
    kind: "croner",
    tasks: count,
    heapPerTask: (after.heapUsed - before.heapUsed) / count,
    rssPerTask: (after.rss - before.rss) / count,
    idleCpuMsPerSecond: idle,
    lateP50: percentile(late, 50),
    lateP99: percentile(late, 99),
    lateMax: Math.max(...late),
  };
}

if (args.has("one")) {
  const count = Number(args.get("one"));
  const result = args.get("kind") === "croner" ? await croner(count) : await cocanvas(count);
  console.log(JSON.stringify(result));
  process.exit(0);
}

const sizes = (args.get("sizes") ?? "1000,10000,100000").split(",").map(Number);
const results: Result[] = [];
for (const size of sizes) {
  for (const kind of ["cocanvas", "croner"] as const) {
    // A croner job per task measured ~83 KB of heap each (its time-zone formatters): 100k would need ~8 GB.
    if (kind === "croner" && size > 20_000) continue;
    const output = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), `--one=${size}`, `--kind=${kind}`], { cwd: repoRoot, maxBuffer: 1 << 24 }).toString();
    const result = JSON.parse(output.trim().split("\n").at(-1)!) as Result;
    results.push(result);
    console.log(JSON.stringify(result));
  }
}
const machine = machineInfo();
const row = (result: Result) =>
  `| ${result.kind === "cocanvas" ? "Cocanvas scheduler" : "croner timer per task"} | ${result.tasks.toLocaleString("en")} | ${result.lateP50} | ${result.lateP99} | ${result.lateMax} | ${result.idleCpuMsPerSecond.toFixed(2)} | ${Math.round(result.heapPerTask)} | ${Math.round(result.rssPerTask)} |`;
const markdown = [
  `Machine: ${machine.nproc} cores (${machine.cpu}), ${machine.ramGb} GB, Node ${machine.node}; ${new Date().toISOString().slice(0, 10)}, shared with other work (load varies).`,
  "",
  `Waiting tasks are due over the next 24 h. Lateness: ${sameInstant} more tasks due at the same instant (Cocanvas: each an agent run on its own canvas with a scripted model, task concurrency ${sameInstant}; croner: empty callbacks). Idle CPU: CPU ms per second over ${idleSeconds} s while everything waits (measured from 10 s after the tasks were created; for Cocanvas the whole server process, not only the scheduler). Memory: heap and RSS after a full GC, per waiting task.`,
  "",
  "| | tasks | late p50 ms | late p99 ms | late max ms | idle CPU ms/s | heap B/task | RSS B/task |",
  "|---|---|---|---|---|---|---|---|",
  ...results.map(row),
  ...sizes.filter((size) => size > 20_000).map((size) => `| croner timer per task | ${size.toLocaleString("en")} | not run: at the heap per task measured above it needs ${((size * (results.find((result) => result.kind === "croner")?.heapPerTask ?? 0)) / 2 ** 30).toFixed(1)} GB | | | | | |`),
].join("\n");
console.log(`\n${markdown}`);
if (args.has("write")) console.log(`\nwrote ${writeBenchmarksSection(repoRoot, "tasks", "Scheduled tasks (`npx tsx bench/tasks/run.ts`)", markdown)}`);

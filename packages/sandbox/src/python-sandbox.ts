import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ProcessGroupLimit } from "./process-limits.ts";
import { SandboxError } from "./sandbox-error.ts";

/** Limits of one Python run. */
export interface PythonLimits {
  /** Wall-clock deadline; the whole process tree is killed past it. */
  timeoutMs: number;
  /** CPU seconds (a busy loop is killed by the kernel past it). */
  cpuSeconds: number;
  /** Address space per process, in bytes (a larger allocation is a MemoryError). */
  memoryBytes: number;
  /** Processes the run may have at once (where a pids cgroup is available). */
  maxProcesses: number;
  /** Bytes of stdout and of stderr kept; the rest is cut with a note. */
  maxOutputBytes: number;
}

export const defaultPythonLimits: PythonLimits = {
  timeoutMs: 30_000,
  cpuSeconds: 20,
  memoryBytes: 1024 * 1024 * 1024,
  maxProcesses: 32,
  maxOutputBytes: 1024 * 1024,
};

export interface PythonRun {
  code: string;
  stdin?: string;
  /** Files the code may read, at `/data/<name>` (read-only). */
  inputs?: { name: string; path: string }[];
  limits?: Partial<PythonLimits>;
}

export interface PythonResult {
  /** `ok` exit 0; `error` another exit code; `timeout`/`killed` stopped by a limit. */
  status: "ok" | "error" | "timeout" | "killed";
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Files the code wrote into its working folder `/out` (figures too). */
  files: { name: string; bytes: Buffer }[];
  /** PNGs of the matplotlib figures left open, in order. */
  figures: Buffer[];
}

const python = "/usr/bin/python3";
const bwrap = "/usr/bin/bwrap";
const prlimit = "/usr/bin/prlimit";
const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), "python-runner.py");
const inputName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const maxOutputFiles = 32;

/** What this machine has for Python, and what to install when something is missing. */
export interface PythonStatus {
  available: boolean;
  missing: string[];
  /** The command that installs what is missing (Debian). */
  install: string;
}

let status: Promise<PythonStatus> | undefined;

/** Checks once whether Python runs in its sandbox here, with pandas and matplotlib. */
export function pythonStatus(): Promise<PythonStatus> {
  return (status ??= (async () => {
    const missing = [
      ...(fs.existsSync(bwrap) ? [] : ["bubblewrap"]),
      ...(fs.existsSync(python) ? [] : ["python3"]),
      ...(fs.existsSync(prlimit) ? [] : ["util-linux"]),
    ];
    if (missing.length === 0) {
      const probe = await runSandboxed({ code: "import pandas, matplotlib", limits: { timeoutMs: 20_000 } });
      if (/No module named 'pandas'/.test(probe.stderr)) missing.push("python3-pandas");
      if (/No module named 'matplotlib'/.test(probe.stderr)) missing.push("python3-matplotlib");
      if (probe.status !== "ok" && missing.length === 0) missing.push(`a working sandbox (${probe.stderr.trim().split("\n").pop() ?? "bubblewrap failed"})`);
    }
    return { available: missing.length === 0, missing, install: `apt-get install -y ${["bubblewrap", "python3", "python3-pandas", "python3-matplotlib"].join(" ")}` };
  })());
}

/**
 * Runs Python in a separate process under bubblewrap: no network (its own network
 * namespace), a read-only system, a private /tmp, only the given inputs, CPU-time,
 * memory and process limits, killed at the deadline. Python never runs without it.
 *
 * @example const result = await runPython({ code: "print(1 + 1)" }); // result.stdout === "2\n"
 */
export async function runPython(run: PythonRun): Promise<PythonResult> {
  const here = await pythonStatus();
  if (!here.available) throw new SandboxError("unavailable", `Python cannot run on this server: ${here.missing.join(", ")} missing. An admin installs it with: ${here.install}`);
  return runSandboxed(run);
}

async function runSandboxed(run: PythonRun): Promise<PythonResult> {
  const limits = { ...defaultPythonLimits, ...run.limits };
  for (const input of run.inputs ?? []) {
    if (!inputName.test(input.name)) throw new SandboxError("bad_input", `"${input.name}" is not a usable input name (letters, digits, . _ -).`);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-python-"));
  const codeDir = path.join(workDir, "code");
  const outDir = path.join(workDir, "out");
  fs.mkdirSync(codeDir);
  fs.mkdirSync(outDir);
  fs.writeFileSync(path.join(codeDir, "main.py"), run.code);
  fs.copyFileSync(runner, path.join(codeDir, "runner.py"));

  const sandbox = [
    bwrap,
    "--ro-bind", "/usr", "/usr",
    "--ro-bind-try", "/etc/alternatives", "/etc/alternatives", // numpy finds libblas through it
    "--ro-bind-try", "/etc/matplotlibrc", "/etc/matplotlibrc",
    "--ro-bind-try", "/etc/fonts", "/etc/fonts", // matplotlib draws text through fontconfig
    "--symlink", "usr/lib", "/lib",
    "--symlink", "usr/lib64", "/lib64",
    "--symlink", "usr/bin", "/bin",
    "--proc", "/proc",
    "--dev", "/dev",
    "--tmpfs", "/tmp",
    "--ro-bind", codeDir, "/code",
    "--bind", outDir, "/out",
    ...(run.inputs ?? []).flatMap((input) => ["--ro-bind", path.resolve(input.path), `/data/${input.name}`]),
    "--chdir", "/out",
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--setenv", "HOME", "/tmp",
    "--setenv", "MPLBACKEND", "Agg",
    "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
    "--setenv", "PYTHONIOENCODING", "utf-8",
    "--setenv", "OPENBLAS_NUM_THREADS", "1",
    python, "-I", "/code/runner.py",
  ];
  const limited = [prlimit, `--as=${limits.memoryBytes}`, `--cpu=${limits.cpuSeconds}`, "--core=0", `--fsize=${64 * 1024 * 1024}`, ...sandbox];
  const group = ProcessGroupLimit.create(limits.maxProcesses);
  // The shell joins the control group first, so every process the run starts is counted.
  const command = group ? ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', group.procsFile, ...limited] : limited;

  const started = performance.now();
  try {
    const child = spawn(command[0]!, command.slice(1), { stdio: ["pipe", "pipe", "pipe"], detached: true });
    const stdout = new OutputBuffer(limits.maxOutputBytes);
    const stderr = new OutputBuffer(limits.maxOutputBytes);
    child.stdout.on("data", (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.add(chunk));
    child.stdin.on("error", () => {}); // the code may exit without reading its input
    child.stdin.end(run.stdin ?? "");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
      void group?.dispose();
    }, limits.timeoutMs);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve({ code, signal }));
    }).finally(() => clearTimeout(timer));
    const killedByLimit = signal !== null || code === 137 || code === 152 || (code !== null && code > 128);
    const files = readOutputs(outDir);
    let errorText = stderr.text();
    if (timedOut) errorText += `\nStopped: the run took longer than ${Math.round(limits.timeoutMs / 1000)} s.`;
    else if (killedByLimit) errorText += `\nStopped: the run went past its CPU limit (${limits.cpuSeconds} s) or was killed.`;
    return {
      status: timedOut ? "timeout" : killedByLimit ? "killed" : code === 0 ? "ok" : "error",
      exitCode: code,
      stdout: stdout.text(),
      stderr: errorText.trimStart(),
      durationMs: Math.round(performance.now() - started),
      files,
      figures: files.filter((file) => /^figure-\d+\.png$/.test(file.name)).sort((a, b) => figureNumber(a.name) - figureNumber(b.name)).map((file) => file.bytes),
    };
  } finally {
    await group?.dispose();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function readOutputs(outDir: string): { name: string; bytes: Buffer }[] {
  return fs
    .readdirSync(outDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .slice(0, maxOutputFiles)
    .map((entry) => ({ name: entry.name, bytes: fs.readFileSync(path.join(outDir, entry.name)) }));
}

const figureNumber = (name: string) => Number(/\d+/.exec(name)![0]);

/** Keeps the first `limit` bytes of a stream and counts the rest. */
class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room > 0) {
      this.chunks.push(chunk.subarray(0, room));
      this.kept += Math.min(room, chunk.length);
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }
  text(): string {
    const text = Buffer.concat(this.chunks).toString("utf8");
    return this.dropped > 0 ? `${text}\n[… ${this.dropped} more bytes not shown]\n` : text;
  }
}

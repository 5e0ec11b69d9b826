import { Worker } from "node:worker_threads";

/** Limits of one JavaScript run. */
export interface JavaScriptLimits {
  timeoutMs: number;
  /** QuickJS heap limit; the worker thread is also capped a little above it. */
  memoryBytes: number;
  maxOutputBytes: number;
}

export const defaultJavaScriptLimits: JavaScriptLimits = { timeoutMs: 10_000, memoryBytes: 64 * 1024 * 1024, maxOutputBytes: 1024 * 1024 };

export interface JavaScriptResult {
  status: "ok" | "error" | "timeout" | "memory";
  stdout: string;
  stderr: string;
  durationMs: number;
}

const worker = new URL("./quickjs-worker.mjs", import.meta.url);
/** Time the worker gets past the deadline to report an interrupt itself, before it is terminated. */
const graceMs = 2_000;

/**
 * Runs JavaScript in QuickJS inside a worker thread: the code sees the language,
 * `console` and a `stdin` string, nothing of Node. An endless loop is interrupted at
 * the deadline; when the interpreter cannot stop in time (a memory blow-up can take
 * seconds), the worker thread is terminated.
 *
 * @example const result = await runJavaScript({ code: "console.log(6 * 7)" }); // result.stdout === "42\n"
 */
export async function runJavaScript(run: { code: string; stdin?: string; limits?: Partial<JavaScriptLimits> }): Promise<JavaScriptResult> {
  const limits = { ...defaultJavaScriptLimits, ...run.limits };
  const started = performance.now();
  const thread = new Worker(worker, {
    workerData: { code: run.code, stdin: run.stdin ?? "", ...limits },
    resourceLimits: { maxOldGenerationSizeMb: Math.ceil(limits.memoryBytes / 1024 / 1024) + 64 },
    stdout: true,
    stderr: true,
  });
  const finished = (result: Omit<JavaScriptResult, "durationMs">): JavaScriptResult => ({ ...result, durationMs: Math.round(performance.now() - started) });
  return new Promise<JavaScriptResult>((resolve) => {
    const timer = setTimeout(() => {
      void thread.terminate();
      resolve(finished({ status: "timeout", stdout: "", stderr: `Stopped: the run took longer than ${Math.round(limits.timeoutMs / 1000)} s.` }));
    }, limits.timeoutMs + graceMs);
    thread.once("message", (result: Omit<JavaScriptResult, "durationMs">) => {
      clearTimeout(timer);
      void thread.terminate();
      resolve(finished(result));
    });
    thread.once("error", (error) => {
      clearTimeout(timer);
      const memory = /memory/i.test(error.message) || (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
      resolve(finished({ status: memory ? "memory" : "error", stdout: "", stderr: memory ? `Stopped: the run needed more than ${Math.round(limits.memoryBytes / 1024 / 1024)} MB.` : error.message }));
    });
  });
}

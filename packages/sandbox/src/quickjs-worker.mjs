// Runs one piece of JavaScript in QuickJS (WebAssembly) inside a worker thread: no Node
// APIs, no network, no files — only `console` and what the language has. The interrupt
// handler stops endless loops at the deadline; the memory limit makes large allocations
// throw. The parent terminates this worker if neither is enough.
import { parentPort, workerData } from "node:worker_threads";
import { getQuickJS, shouldInterruptAfterDeadline } from "quickjs-emscripten";

const { code, stdin, timeoutMs, memoryBytes, maxOutputBytes } = workerData;
const output = { stdout: "", stderr: "", dropped: 0 };
const write = (stream, text) => {
  const room = maxOutputBytes - output[stream].length;
  if (room > 0) output[stream] += text.slice(0, room);
  output.dropped += Math.max(0, text.length - Math.max(room, 0));
};

const QuickJS = await getQuickJS();
const runtime = QuickJS.newRuntime();
runtime.setMemoryLimit(memoryBytes);
runtime.setMaxStackSize(1024 * 1024);
runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + timeoutMs));
const context = runtime.newContext();

const consoleObject = context.newObject();
for (const [name, stream] of [["log", "stdout"], ["info", "stdout"], ["warn", "stderr"], ["error", "stderr"]]) {
  const method = context.newFunction(name, (...args) => {
    write(stream, args.map((arg) => {
      const value = context.dump(arg);
      return typeof value === "string" ? value : JSON.stringify(value);
    }).join(" ") + "\n");
  });
  context.setProp(consoleObject, name, method);
  method.dispose();
}
context.setProp(context.global, "console", consoleObject);
consoleObject.dispose();
const input = context.newString(stdin ?? "");
context.setProp(context.global, "stdin", input);
input.dispose();

let status = "ok";
let error = "";
const result = context.evalCode(code, "main.js");
if (result.error) {
  const thrown = context.dump(result.error);
  result.error.dispose();
  const message = typeof thrown === "object" && thrown ? `${thrown.name ?? "Error"}: ${thrown.message ?? ""}` : String(thrown);
  if (/interrupted/i.test(message)) {
    status = "timeout";
    error = `Stopped: the run took longer than ${Math.round(timeoutMs / 1000)} s.`;
  } else if (/out of memory/i.test(message)) {
    status = "memory";
    error = `Stopped: the run needed more than ${Math.round(memoryBytes / 1024 / 1024)} MB.`;
  } else {
    status = "error";
    error = message + (typeof thrown === "object" && thrown?.stack ? `\n${thrown.stack}` : "");
  }
} else {
  result.value.dispose();
  // Promises the code started settle before it counts as done.
  const jobs = runtime.executePendingJobs();
  if (jobs.error) {
    status = "error";
    error = String(context.dump(jobs.error)?.message ?? context.dump(jobs.error));
    jobs.error.dispose();
  }
}
context.dispose();
runtime.dispose();
if (output.dropped > 0) output.stdout += `\n[… ${output.dropped} more characters not shown]\n`;
parentPort.postMessage({ status, stdout: output.stdout, stderr: (output.stderr + error).trim() ? output.stderr + error : "" });

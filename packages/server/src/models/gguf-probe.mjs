// Loads one GGUF model with llama.cpp and reports on stdout whether it loaded, as JSON.
// Runs in a child process (see gguf-check.ts): llama.cpp aborts the process on some
// malformed files, and this way it is this process that dies, not the server.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const file = process.argv[2];
const log = [];
const llama = await getLlama({
  gpu: false,
  build: "never",
  maxThreads: 1,
  logLevel: LlamaLogLevel.warn,
  logger: (_level, message) => log.push(message.trim()),
});
let answer;
try {
  const model = await llama.loadModel({ modelPath: file });
  await model.dispose();
  answer = { ok: true };
} catch (error) {
  await new Promise((resolve) => setTimeout(resolve, 100)); // llama.cpp's log lines arrive asynchronously
  answer = { ok: false, message: error instanceof Error ? error.message : String(error), log: log.join("\n").slice(-4000) };
}
process.stdout.write(`${JSON.stringify(answer)}\n`);
await llama.dispose();

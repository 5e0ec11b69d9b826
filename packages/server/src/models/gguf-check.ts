import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ApiError } from "@cocanvas/protocol";
import type { readGgufFileInfo } from "node-llama-cpp";

/**
 * node-llama-cpp, loaded on first use: importing it costs ~0.8 s of CPU and ~40 MB, which
 * a server that never runs a local model should not pay at every start (decision 0015).
 */
export const loadNodeLlamaCpp = () => import("node-llama-cpp");

/**
 * llama.cpp asserts (and so aborts the whole process) on some malformed files, e.g. a
 * llama model without `llama.attention.head_count`. Before a file reaches the engine it
 * is checked here in JavaScript (header, metadata, tensors within the file) and then
 * loaded once in a child process (`probeGgufFile`), so a file that still crashes
 * llama.cpp costs a child, not the server.
 */

/** Bytes per block and elements per block of the common tensor types (ggml's type traits). */
const typeSizes: Record<number, [bytes: number, elements: number]> = {
  0: [4, 1], // F32
  1: [2, 1], // F16
  2: [18, 32], // Q4_0
  3: [20, 32], // Q4_1
  6: [22, 32], // Q5_0
  7: [24, 32], // Q5_1
  8: [34, 32], // Q8_0
  10: [84, 256], // Q2_K
  11: [110, 256], // Q3_K
  12: [144, 256], // Q4_K
  13: [176, 256], // Q5_K
  14: [210, 256], // Q6_K
  15: [292, 256], // Q8_K
  24: [1, 1], // I8
  25: [2, 1], // I16
  26: [4, 1], // I32
  27: [8, 1], // I64
  28: [8, 1], // F64
  30: [2, 1], // BF16
};

/** Architectures whose loader asserts on these keys rather than reporting them missing. */
const transformerKeys = ["context_length", "embedding_length", "block_count", "feed_forward_length", "attention.head_count"];
const strictArchitectures = new Set(["llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3", "mistral3"]);

export interface GgufSummary {
  version: number;
  architecture: string;
  name: string | null;
  contextLength: number | null;
  size: number;
}

const unavailable = (message: string) => new ApiError("model_unavailable", message);

/** Checks that `file` is a readable, complete GGUF model; throws a `model_unavailable` ApiError saying what is wrong. */
export async function checkGgufFile(file: string): Promise<GgufSummary> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw unavailable(`The local model file ${file} does not exist.`);
    throw unavailable(`Cannot read the local model file ${file}: ${code ?? (error as Error).message}.`);
  }
  if (stat.isDirectory()) throw unavailable(`${file} is a folder, not a GGUF model file.`);
  const header = Buffer.alloc(24);
  let read: number;
  try {
    const handle = await fs.promises.open(file, "r");
    try {
      ({ bytesRead: read } = await handle.read(header, 0, 24, 0));
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unavailable(`Cannot read the local model file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  if (read < 24) throw unavailable(`${file} is not a GGUF model: it has only ${read} bytes.`);
  if (header.toString("latin1", 0, 4) !== "GGUF") {
    // Never the bytes themselves: an error must not show what a file holds.
    throw unavailable(`${file} is not a GGUF model: it does not start with "GGUF".`);
  }
  const version = header.readUInt32LE(4);
  if (version !== 2 && version !== 3) throw unavailable(`${file} is GGUF version ${version}; the engine reads versions 2 and 3.`);
  if (header.readBigUInt64LE(8) > 1_000_000n || header.readBigUInt64LE(16) > 1_000_000n) {
    throw unavailable(`${file} has a malformed GGUF header (impossible tensor or metadata count).`);
  }

  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    const { readGgufFileInfo } = await loadNodeLlamaCpp();
    info = await readGgufFileInfo(file, { sourceType: "filesystem", logWarnings: false, spliceSplitFiles: false });
  } catch (error) {
    throw unavailable(`${file} has a malformed GGUF header: ${(error as Error).message}`);
  }
  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const architecture = metadata.general?.architecture;
  if (typeof architecture !== "string") throw unavailable(`${file} does not name its architecture (general.architecture is missing).`);
  const arch = (metadata[architecture] ?? {}) as Record<string, unknown>;
  const lookup = (key: string) => key.split(".").reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], arch);
  if (strictArchitectures.has(architecture)) {
    for (const key of transformerKeys) {
      if (lookup(key) === undefined) throw unavailable(`${file} is incomplete: its metadata lacks ${architecture}.${key}.`);
    }
  }
  const tokenizer = metadata.tokenizer as { ggml?: { tokens?: unknown[]; token_type?: unknown[] } } | undefined;
  const tokens = tokenizer?.ggml?.tokens;
  if (!Array.isArray(tokens) || tokens.length === 0) throw unavailable(`${file} has no vocabulary (tokenizer.ggml.tokens is missing).`);
  const tokenTypes = tokenizer?.ggml?.token_type;
  if (Array.isArray(tokenTypes) && tokenTypes.length !== tokens.length) {
    throw unavailable(`${file} is malformed: ${tokens.length} tokens but ${tokenTypes.length} token types.`);
  }

  for (const tensor of info.tensorInfo ?? []) {
    const start = Number(tensor.fileOffset);
    const elements = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    const traits = typeSizes[tensor.ggmlType];
    const end = traits ? start + Math.ceil(elements / traits[1]) * traits[0] : start;
    if (end > stat.size) {
      throw unavailable(`${file} is truncated: it has ${stat.size} bytes but tensor ${tensor.name} ends at byte ${end} (an interrupted download? pull it again).`);
    }
  }
  const contextLength = lookup("context_length");
  return {
    version,
    architecture,
    name: typeof metadata.general?.name === "string" ? metadata.general.name : null,
    contextLength: typeof contextLength === "number" ? contextLength : null,
    size: stat.size,
  };
}

const probeScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "gguf-probe.mjs");
const probed = new Map<string, Promise<void>>();

/**
 * Loads `file` once in a child process; resolves when llama.cpp loads it, rejects with a
 * `model_unavailable` ApiError carrying llama.cpp's own message when it fails or crashes.
 * Remembered per path, size and modification time.
 */
export function probeGgufFile(file: string, timeoutMs = 300_000): Promise<void> {
  const stat = fs.statSync(file);
  const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
  let probe = probed.get(key);
  if (!probe) {
    probe = runProbe(file, timeoutMs);
    probed.set(key, probe);
    probe.catch(() => probed.delete(key));
  }
  return probe;
}

function runProbe(file: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [probeScript, file], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(unavailable(`Could not check ${file}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      let answer: { ok: boolean; message?: string; log?: string } | null = null;
      try {
        answer = JSON.parse(stdout.trim().split("\n").pop() ?? "");
      } catch {
        answer = null;
      }
      if (answer?.ok) return resolve();
      const detail = lastLines(answer?.log || stderr) || answer?.message || "";
      if (answer) return reject(unavailable(`llama.cpp cannot load ${file}: ${detail || "unknown error"}`));
      const how = signal ? `crashed (${signal})` : `exited with code ${code}`;
      reject(unavailable(`llama.cpp ${how} while loading ${file}, so it was not loaded into the server${detail ? `: ${detail}` : ""}`));
    });
  });
}

/** llama.cpp's own explanation: its last distinct error lines. */
export function lastLines(text: string): string {
  const lines = [...new Set(text.split("\n").map((line) => line.trim()).filter(Boolean))];
  const causes = lines.filter((line) => /error loading model:|assert|wrong shape|not found|invalid|missing/i.test(line));
  const errors = lines.filter((line) => /error|failed/i.test(line));
  return (causes.length ? causes : errors.length ? errors : lines).slice(-2).join(" / ");
}

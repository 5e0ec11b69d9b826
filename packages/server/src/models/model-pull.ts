import { createHash, type Hash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ApiError } from "@cocanvas/protocol";

export interface PullOptions {
  url: string;
  /** Where the finished file goes; the download is written to `<file>.part` first. */
  file: string;
  sha256: string;
  /** Expected size in bytes, if known (checked before the checksum). */
  size?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** How many times a broken connection is resumed within one call. Default 5. */
  attempts?: number;
  fetch?: typeof fetch;
}

export interface PullResult {
  file: string;
  bytes: number;
  /** The file was already there with the right checksum. */
  alreadyPresent: boolean;
  /** Bytes that were on disk from an earlier, interrupted download. */
  resumedFrom: number;
}

const fail = (message: string) => new ApiError("invalid_request", message);

/**
 * Downloads `url` to `file`: into `<file>.part`, resuming it with an HTTP Range request
 * after a broken connection (also across runs), then checks the size and SHA-256 and only
 * then renames it into place. A file whose checksum does not match is deleted, never used.
 */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const { url, file, signal, attempts = 5 } = options;
  const expected = options.sha256.toLowerCase();
  const fetchImpl = options.fetch ?? fetch;
  if (!/^[0-9a-f]{64}$/.test(expected)) throw fail(`"${options.sha256}" is not a SHA-256 (64 hex digits).`);
  fs.mkdirSync(path.dirname(file), { recursive: true });

  if (fs.existsSync(file)) {
    const digest = await hashFile(file, createHash("sha256"));
    const bytes = fs.statSync(file).size;
    if (digest.digest("hex") === expected) return { file, bytes, alreadyPresent: true, resumedFrom: 0 };
    throw fail(`${file} already exists but its SHA-256 is not ${expected}; delete it to pull again.`);
  }

  const part = `${file}.part`;
  let hash = createHash("sha256");
  let done = fs.existsSync(part) ? fs.statSync(part).size : 0;
  if (options.size !== undefined && done > options.size) {
    fs.rmSync(part);
    done = 0;
  }
  const resumedFrom = done;
  if (done > 0) await hashFile(part, hash);
  let total = options.size ?? 0;

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    if (options.size !== undefined && done === options.size) break;
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: done > 0 ? { range: `bytes=${done}-` } : {}, signal, redirect: "follow" });
    } catch (error) {
      if (signal?.aborted || attempt >= attempts) throw fail(`Could not download ${url}: ${(error as Error).message}${done ? ` (${done} bytes kept in ${part}; run the command again to resume)` : ""}`);
      await pause(attempt);
      continue;
    }
    if (response.status === 416 && done > 0) {
      // Nothing after `done`: the part file is already complete (the size and checksum decide).
      await response.body?.cancel();
      break;
    }
    if (!response.ok) {
      await response.body?.cancel();
      if (response.status >= 500 && attempt < attempts) {
        await pause(attempt);
        continue;
      }
      throw fail(`Could not download ${url}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    if (done > 0 && response.status !== 206) {
      // The server ignored the range: start over.
      fs.truncateSync(part, 0);
      done = 0;
      hash = createHash("sha256");
    }
    const length = Number(response.headers.get("content-length") ?? NaN);
    const end = Number.isFinite(length) ? done + length : options.size;
    if (!options.size && end !== undefined) total = end;
    options.onProgress?.(done, total || done);

    const handle = fs.openSync(part, done > 0 ? "a" : "w", 0o600);
    fs.fchmodSync(handle, 0o600); // a part file from an older run may have another mode
    let broken: Error | null = null;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        fs.writeSync(handle, chunk);
        hash.update(chunk);
        done += chunk.length;
        if (options.size !== undefined && done > options.size) throw fail(`${url} is larger than the expected ${options.size} bytes; refusing it.`);
        options.onProgress?.(done, Math.max(total, done));
      }
    } catch (error) {
      if (error instanceof ApiError || signal?.aborted) {
        fs.closeSync(handle);
        if (error instanceof ApiError) fs.rmSync(part, { force: true });
        throw error;
      }
      broken = error as Error;
    }
    fs.fsyncSync(handle);
    fs.closeSync(handle);
    if (!broken && end !== undefined && done < end) broken = new Error(`the connection ended after ${done} of ${end} bytes`);
    if (!broken) break;
    if (attempt >= attempts) throw fail(`Could not download ${url}: ${broken?.message ?? "incomplete"} (${done} bytes kept in ${part}; run the command again to resume).`);
    await pause(attempt);
  }

  if (options.size !== undefined && done !== options.size) {
    fs.rmSync(part, { force: true });
    throw fail(`${url} sent ${done} bytes but the model has ${options.size}; the download was deleted.`);
  }
  const actual = hash.digest("hex");
  if (actual !== expected) {
    fs.rmSync(part, { force: true });
    throw fail(`checksum mismatch for ${url}: expected SHA-256 ${expected}, got ${actual}; the download was deleted.`);
  }
  fs.renameSync(part, file);
  return { file, bytes: done, alreadyPresent: false, resumedFrom };
}

async function hashFile(file: string, hash: Hash): Promise<Hash> {
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash;
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** (attempt - 1))));

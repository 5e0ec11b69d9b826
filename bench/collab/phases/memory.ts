/** Server RSS per open-but-idle document (one connected client each), and after they leave. */
import { closeClients, startClients } from "../client-pool.ts";
import type { Settings } from "../config.ts";
import { countdown, progress } from "../progress.ts";
import type { ServerProcess } from "../server-process.ts";
import type { Target } from "../targets.ts";
import { clientSpecs } from "./profile.ts";
import { waitForQuiet } from "../machine-load.ts";

export interface MemoryResult {
  docs: number;
  baselineMb: number;
  halfMb: number;
  openMb: number;
  afterCloseMb: number;
  /**
   * RSS per open-but-idle document (one connected client each): the growth from the
   * first half of the documents to all of them, so start-up garbage that the first
   * collections release does not count against the documents.
   */
  perOpenDocKb: number;
  /** (RSS with every document open − RSS before any) / documents. */
  perOpenDocFromBaselineKb: number;
  /** (RSS after every client left − RSS before any) / documents. */
  perClosedDocKb: number;
  failedConnects: number;
}

/** Median of a few RSS samples right after a full collection, to step over allocation spikes. */
async function rss(server: ServerProcess): Promise<number> {
  await server.collectGarbage();
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(server.usage().rssBytes);
    await new Promise((r) => setTimeout(r, 200));
  }
  return samples.sort((a, b) => a - b)[2]!;
}

/**
 * RSS once it stops falling for 10 s. A server can hand memory back to the system well
 * after it started: Cocanvas drops 40–70 MB 15–30 s in, when the idle heaps it compiled
 * its TypeScript in shrink (node runs it through tsx's loader thread, which a collection
 * of the main heap does not reach). A baseline taken before that makes later numbers negative.
 */
async function settledRss(server: ServerProcess, label: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lowest = await rss(server);
  let lowestAt = Date.now();
  while (Date.now() < deadline && Date.now() - lowestAt < 10_000) {
    progress.set(`${label}: waiting for the server's memory to settle (${(lowest / 2 ** 20).toFixed(0)} MB)…`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const current = await rss(server);
    if (current < lowest - 2 ** 20) lowestAt = Date.now();
    lowest = Math.min(lowest, current);
  }
  return rss(server);
}

export async function runMemory(target: Target, settings: Settings): Promise<MemoryResult> {
  const label = `[${target.label}] memory`;
  const { docs: count, idleMs } = settings.memory;
  progress.set(`${label}: starting server…`);
  const server = await target.start({ inspect: true });
  let clients = startClients(settings.clientProcesses);
  try {
    // Warm-up: open and close a quarter as many documents so the server has been through
    // a few collections and its start-up garbage is gone before the baseline.
    const warmup = await target.createDocs(Math.ceil(count / 4), "memory-warmup");
    const warmSpecs = clientSpecs(warmup, ["idle"], settings);
    await Promise.all(
      clients.map((c, i) =>
        c.request(
          { type: "connect", endpoint: target.endpoint(), clients: warmSpecs[i]!, timeoutMs: settings.connectTimeoutMs },
          "connected",
        ),
      ),
    );
    await countdown(`${label}: warm-up`, 2000);
    await closeClients(clients);
    clients = startClients(settings.clientProcesses);
    const docs = await target.createDocs(count, "memory");
    await countdown(`${label}: baseline`, 4000);
    await waitForQuiet(label);
    const baseline = await settledRss(server, label);
    const half = Math.floor(count / 2);
    let failed = 0;
    const open = async (wave: string[], first: number) => {
      progress.set(`${label}: opening ${first + wave.length}/${count} documents…`);
      const specs = clientSpecs(wave, ["idle"], settings, first);
      const connected = await Promise.all(
        clients.map((c, i) =>
          c.request(
            { type: "connect", endpoint: target.endpoint(), clients: specs[i]!, timeoutMs: settings.connectTimeoutMs },
            "connected",
          ),
        ),
      );
      failed += connected.reduce((sum, c) => sum + c.failed, 0);
      await countdown(`${label}: idle`, idleMs);
      return rss(server);
    };
    const halfOpen = await open(docs.slice(0, half), 0);
    const allOpen = await open(docs.slice(half), half);
    await closeClients(clients);
    await countdown(`${label}: after close`, 4000);
    const afterClose = await rss(server);
    const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));
    const kb = (bytes: number, n: number) => Number((bytes / n / 1024).toFixed(1));
    return {
      docs: count,
      baselineMb: mb(baseline),
      halfMb: mb(halfOpen),
      openMb: mb(allOpen),
      afterCloseMb: mb(afterClose),
      perOpenDocKb: kb(allOpen - halfOpen, count - half),
      perOpenDocFromBaselineKb: kb(allOpen - baseline, count),
      perClosedDocKb: kb(afterClose - baseline, count),
      failedConnects: failed,
    };
  } finally {
    await closeClients(clients);
    await server.stop();
  }
}

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
  openMb: number;
  afterCloseMb: number;
  /** (RSS with the documents open and idle − baseline) / documents. */
  perOpenDocKb: number;
  /** (RSS after every client left and the documents could unload − baseline) / documents. */
  perClosedDocKb: number;
  failedConnects: number;
}

/** Median of a few RSS samples, to step over allocation spikes. */
async function rss(server: ServerProcess): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(server.usage().rssBytes);
    await new Promise((r) => setTimeout(r, 200));
  }
  return samples.sort((a, b) => a - b)[2]!;
}

export async function runMemory(target: Target, settings: Settings): Promise<MemoryResult> {
  const label = `[${target.label}] memory`;
  const { docs: count, idleMs } = settings.memory;
  progress.set(`${label}: starting server…`);
  const server = await target.start();
  const clients = startClients(settings.clientProcesses);
  try {
    const docs = await target.createDocs(count, "memory");
    await countdown(`${label}: baseline`, 2000);
    await waitForQuiet(label);
    const baseline = await rss(server);
    progress.set(`${label}: opening ${count} documents…`);
    const specs = clientSpecs(docs, ["idle"], settings);
    const connected = await Promise.all(
      clients.map((c, i) =>
        c.request(
          { type: "connect", endpoint: target.endpoint(), clients: specs[i]!, timeoutMs: settings.connectTimeoutMs },
          "connected",
        ),
      ),
    );
    await countdown(`${label}: idle`, idleMs);
    const open = await rss(server);
    await closeClients(clients);
    await countdown(`${label}: after close`, 4000);
    const afterClose = await rss(server);
    const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));
    return {
      docs: count,
      baselineMb: mb(baseline),
      openMb: mb(open),
      afterCloseMb: mb(afterClose),
      perOpenDocKb: Number(((open - baseline) / count / 1024).toFixed(1)),
      perClosedDocKb: Number(((afterClose - baseline) / count / 1024).toFixed(1)),
      failedConnects: connected.reduce((sum, c) => sum + c.failed, 0),
    };
  } finally {
    await closeClients(clients);
    await server.stop();
  }
}

/**
 * Cold load: write a document with many small edits through providers, stop the
 * server, start a fresh process, and time a fresh provider from connect to `synced`.
 */
import { closeClients, startClients } from "../client-pool.ts";
import type { Settings } from "../config.ts";
import { countdown, progress } from "../progress.ts";
import type { Target } from "../targets.ts";
import { waitForQuiet } from "../machine-load.ts";

export interface ColdLoadResult {
  targetChars: number;
  chars: number;
  updates: number;
  prepareMs: number;
  /** First load in a fresh server process. */
  coldMs: number;
  /** The same document loaded again by the same process after it was unloaded. */
  reloadMs: number;
  /** Characters the fresh provider received (must equal `chars`). */
  loadedChars: number;
}

export async function runColdLoad(target: Target, settings: Settings): Promise<ColdLoadResult[]> {
  const label = `[${target.label}] cold load`;
  const { sizes, writers, updatesPerSecondPerWriter } = settings.cold;
  const [client] = startClients(1);
  try {
    progress.set(`${label}: starting server…`);
    let server = await target.start();
    const docs = await target.createDocs(sizes.length, "cold");
    const prepared = [];
    for (const [i, size] of sizes.entries()) {
      progress.set(`${label}: writing a ${size.toLocaleString("en")}-character document…`);
      const endpoint = target.endpoint();
      prepared.push(
        await client!.request(
          { type: "prepare", endpoint, doc: docs[i]!, chars: size, writers, updatesPerSecond: updatesPerSecondPerWriter },
          "prepared",
        ),
      );
    }
    await countdown(`${label}: letting the server store`, 3000);
    await server.stop();

    const results: ColdLoadResult[] = [];
    for (const [i, size] of sizes.entries()) {
      progress.set(`${label}: restarting for the ${size.toLocaleString("en")}-character document…`);
      server = await target.start();
      await waitForQuiet(label);
      const endpoint = target.endpoint();
      const cold = await client!.request({ type: "cold", endpoint, doc: docs[i]!, timeoutMs: 60_000 }, "cold");
      await countdown(`${label}: letting the document unload`, 2000);
      const reload = await client!.request({ type: "cold", endpoint, doc: docs[i]!, timeoutMs: 60_000 }, "cold");
      await server.stop();
      const prep = prepared[i]!;
      results.push({
        targetChars: size,
        chars: prep.chars,
        updates: prep.updates,
        prepareMs: Math.round(prep.ms),
        coldMs: Number(cold.ms.toFixed(1)),
        reloadMs: Number(reload.ms.toFixed(1)),
        loadedChars: cold.chars,
      });
    }
    return results;
  } finally {
    await closeClients([client!]);
  }
}

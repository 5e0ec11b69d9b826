/** A load profile against one server: connect, type for the duration, drain, measure. */
import { closeClients, startClients } from "../client-pool.ts";
import type { ProfileSpec, Settings } from "../config.ts";
import { computeLatency, type LatencyStats } from "../latency.ts";
import { countdown, progress } from "../progress.ts";
import type { ClientSpec, FinalClock, RunResult } from "../protocol.ts";
import type { Target } from "../targets.ts";
import { loadSnapshot, otherCpuPercent, waitForQuiet } from "../machine-load.ts";

export interface ProfileResult {
  latency: LatencyStats;
  /** Updates the writers would send at the nominal pace. */
  nominalUpdates: number;
  serverCpuMs: number;
  /** Frames the clients sent during the measured window: what the server received. */
  messages: number;
  cpuPerMessageUs: number;
  wallMs: number;
  connectMs: number;
  failedConnects: number;
  disconnects: number;
  drained: boolean;
  clientCpuMs: number[];
  clientEventLoopDelayP99Ms: number[];
  /** CPU other processes on the machine used during the measured window, % of one core. */
  backgroundCpuPercent: number;
  /** With several rounds: every round's p99, in the order run (this result is the median round). */
  roundsP99Ms?: number[];
}

let nextClientID = 1;

export function clientSpecs(
  docs: string[],
  roles: ClientSpec["role"][],
  settings: Settings,
  firstDoc = 0,
): ClientSpec[][] {
  const perProcess: ClientSpec[][] = Array.from({ length: settings.clientProcesses }, () => []);
  let id = firstDoc * roles.length;
  docs.forEach((doc, index) => {
    const d = firstDoc + index;
    roles.forEach((role, slot) => {
      const spec: ClientSpec = {
        id: id++,
        doc,
        role,
        clientID: nextClientID++,
        socketGroup: `${slot}:${Math.floor(d / settings.docsPerSocket)}`,
      };
      perProcess[(d + slot) % settings.clientProcesses]!.push(spec);
    });
  });
  return perProcess;
}

export async function runProfile(target: Target, profile: ProfileSpec, settings: Settings): Promise<ProfileResult> {
  const label = `[${target.label}] ${profile.key}`;
  progress.set(`${label}: starting server…`);
  const server = await target.start();
  const clients = startClients(settings.clientProcesses);
  try {
    const docs = await target.createDocs(profile.docs, profile.key);
    const specs = clientSpecs(docs, profile.roles, settings);
    progress.set(`${label}: connecting ${specs.flat().length} clients…`);
    const connected = await Promise.all(
      clients.map((c, i) =>
        c.request(
          { type: "connect", endpoint: target.endpoint(), clients: specs[i]!, timeoutMs: settings.connectTimeoutMs },
          "connected",
        ),
      ),
    );
    await countdown(`${label}: settling`, settings.settleMs);
    await waitForQuiet(label);

    const stopped = Promise.all(clients.map((c) => c.request({ type: "start", pace: profile.pace }, "stopped")));
    await countdown(`${label}: warm-up`, profile.pace.warmupMs);
    const before = server.usage();
    const loadBefore = loadSnapshot();
    const startedAt = Date.now();
    await countdown(`${label}: load`, profile.pace.durationMs);
    const finals: FinalClock[] = (await stopped).flatMap((s) => s.finals);
    progress.set(`${label}: draining…`);
    const results: RunResult[] = (
      await Promise.all(
        clients.map((c) => c.request({ type: "drain", finals, timeoutMs: settings.drainTimeoutMs }, "result")),
      )
    ).map((r) => r.result);
    const after = server.usage();
    const backgroundCpuPercent = otherCpuPercent(loadBefore, loadSnapshot());
    const wallMs = Date.now() - startedAt;

    progress.set(`${label}: computing latency…`);
    const latency = computeLatency(specs.flat(), results);
    const messages = results.reduce((sum, r) => sum + r.framesSent, 0);
    const serverCpuMs = after.cpuMs - before.cpuMs;
    const { pace } = profile;
    const perDoc = profile.roles.reduce(
      (sum, role) =>
        sum + (role === "typist" ? pace.durationMs / pace.typistIntervalMs : role === "agent" ? pace.durationMs / pace.agentIntervalMs : 0),
      0,
    );
    return {
      latency,
      nominalUpdates: Math.round(perDoc * profile.docs),
      serverCpuMs,
      messages,
      cpuPerMessageUs: (serverCpuMs * 1000) / messages,
      wallMs,
      connectMs: Math.max(...connected.map((c) => c.ms)),
      failedConnects: connected.reduce((sum, c) => sum + c.failed, 0),
      disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
      drained: results.every((r) => r.drained),
      clientCpuMs: results.map((r) => Math.round(r.cpuMs)),
      clientEventLoopDelayP99Ms: results.map((r) => Number(r.eventLoopDelayP99Ms.toFixed(1))),
      backgroundCpuPercent: Math.round(backgroundCpuPercent),
    };
  } finally {
    await closeClients(clients);
    await server.stop();
  }
}

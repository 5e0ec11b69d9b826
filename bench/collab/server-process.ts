/** Starts a server as its own process group, waits for its health URL, stops it. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { WebSocket } from "ws";
import { treeUsage, type TreeUsage } from "./proc-stats.ts";

const running = new Set<ChildProcess>();

// Never leave a server behind, whatever way the benchmark ends.
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Env that starts a server (and any node process before it) with an inspector on a free port. */
export const inspectable = { NODE_OPTIONS: "--inspect=127.0.0.1:0" };

export interface ServerSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  healthUrl: string;
  logFile: string;
}

export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly logFile: string,
  ) {}

  static async start(spec: ServerSpec, timeoutMs = 60_000): Promise<ServerProcess> {
    const log = fs.openSync(spec.logFile, "a");
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", log, log],
      detached: true, // own process group: stop() ends the server and nothing else
    });
    fs.closeSync(log);
    running.add(child);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    void exited.then(() => running.delete(child));
    const server = new ServerProcess(child, exited, spec.logFile);
    const deadline = Date.now() + timeoutMs;
    let dead = false;
    void exited.then(() => (dead = true));
    while (Date.now() < deadline && !dead) {
      try {
        const res = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.stop();
    const tail = fs.readFileSync(spec.logFile, "utf8").split("\n").slice(-15).join("\n");
    throw new Error(`server ${spec.command} ${spec.args.join(" ")} did not become healthy:\n${tail}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  usage(): TreeUsage {
    return treeUsage(this.pid);
  }

  /**
   * Runs a full garbage collection in the server through its inspector (started with
   * `inspectable()` in its env), so that RSS measures what it holds, not what it has not
   * collected yet. The server is the last process of the group to announce a debugger.
   */
  async collectGarbage(): Promise<void> {
    const announced = [...fs.readFileSync(this.logFile, "utf8").matchAll(/Debugger listening on (ws:\/\/\S+)/g)].at(-1);
    if (!announced) throw new Error("the server was not started with an inspector (inspectable())");
    const socket = new WebSocket(announced[1]!);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    try {
      for (const id of [1, 2]) {
        // Two passes: the first one's finalizers free more for the second.
        await new Promise<void>((resolve, reject) => {
          socket.on("message", (data) => {
            if ((JSON.parse(String(data)) as { id?: number }).id === id) resolve();
          });
          socket.once("error", reject);
          socket.send(JSON.stringify({ id, method: "HeapProfiler.collectGarbage" }));
        });
      }
    } finally {
      socket.close();
    }
  }

  /** SIGTERM to the group (lets the server store its documents), SIGKILL after a grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    killGroup(this.child, "SIGTERM");
    const timer = setTimeout(() => killGroup(this.child, "SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
    killGroup(this.child, "SIGKILL"); // stragglers of the group (npx → node)
  }
}

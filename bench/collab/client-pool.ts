/** Coordinator side of the load-client processes: fork, send a command, await replies. */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FromClient, ToClient } from "./protocol.ts";

const clientScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "load-client.ts");

type Reply<T extends FromClient["type"]> = Extract<FromClient, { type: T }>;

export class ClientProcess {
  private readonly waiting: Array<{ resolve: (m: FromClient) => void; reject: (e: Error) => void }> = [];
  private readonly exited: Promise<void>;

  constructor(readonly index: number) {
    this.child = fork(clientScript, [], {
      execArgv: ["--import", "tsx"],
      serialization: "advanced", // typed arrays cross as binary
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.exited = new Promise((resolve) =>
      this.child.once("exit", () => {
        for (const pending of this.waiting.splice(0)) pending.reject(new Error(`client ${index} exited`));
        resolve();
      }),
    );
    this.child.on("message", (message: FromClient) => {
      if (message.type === "error") {
        process.stderr.write(`\nclient ${index} failed: ${message.message}\n`);
      }
      this.waiting.shift()?.resolve(message);
    });
  }

  private readonly child: ChildProcess;

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends a command and waits for its single reply. */
  async request<T extends FromClient["type"]>(message: ToClient, reply: T, timeoutMs = 600_000): Promise<Reply<T>> {
    const answer = new Promise<FromClient>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client ${this.index}: no ${reply} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    this.child.send(message);
    const received = await answer;
    if (received.type !== reply) {
      throw new Error(`client ${this.index}: expected ${reply}, got ${received.type}: ${"message" in received ? received.message : ""}`);
    }
    return received as Reply<T>;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.request({ type: "close" }, "closed", 10_000).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function startClients(count: number): ClientProcess[] {
  return Array.from({ length: count }, (_, i) => new ClientProcess(i));
}

export async function closeClients(clients: ClientProcess[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
}

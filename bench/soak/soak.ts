/**
 * The SIGKILL soak: a Cocanvas server in a child process (the compiled `cocanvas serve`)
 * is killed with SIGKILL again and again, on the same port and data folder, while people
 * type through stock Hocuspocus providers that reconnect by themselves. Each person types
 * numbered tokens into a Y.Text of their own in bursts and waits for the provider's
 * acknowledgement (`unsyncedChanges` back to 0: the server says it has the burst, which
 * decision 0001 makes mean "committed"). At the end, a fresh server process and a fresh
 * reader check that every acknowledged token is in the document, in order.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import * as Y from "yjs";
import { freePort } from "../../tests/helpers/child-server.ts";
import { connect, signUp, workspaceWithCanvas } from "../../tests/helpers/server.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = path.join(repoRoot, "packages", "server", "bin", "cocanvas.js");

export interface SoakOptions {
  kills: number;
  /** People typing at once, each on their own socket. Default 3. */
  people?: number;
  /** Longest wait (ms) between everyone being back and the next kill; the wait is random below it. Default 1500. */
  maxUptimeMs?: number;
  onProgress?: (state: SoakProgress) => void;
}

export interface SoakProgress {
  kills: number;
  acknowledged: number;
  sent: number;
}

export interface SoakResult extends SoakProgress {
  people: number;
  /** Acknowledged tokens missing from the document at the end (must be 0). */
  lost: number;
  /** Tokens in the document that no one typed, or out of order (must be 0). */
  garbled: number;
  elapsedMs: number;
  /** Median ms from SIGKILL to every person acknowledged again by the new server. */
  medianRecoveryMs: number;
}

interface Person {
  provider: HocuspocusProvider;
  text: Y.Text;
  sent: number;
  acknowledged: number;
  destroy(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** `cocanvas serve` on a fixed port; resolves once /api/health answers. */
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, "serve"], {
    env: { ...process.env, PORT: String(port), COCANVAS_DATA_DIR: dataDir, COCANVAS_LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr!.on("data", (chunk) => (errors = (errors + chunk).slice(-4000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`soak: the server exited (${child.exitCode}): ${errors}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`soak: the server did not start: ${errors}`);
    await sleep(50);
  }
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

/**
 * Types bursts of numbered tokens ("0;1;2;…") and counts a burst acknowledged when the
 * provider has no unsynced change left after it. Nothing is typed while a burst waits, so
 * `sent` at that moment is exactly what the server has.
 */
async function typeUntil(person: Person, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    const burst = 1 + Math.floor(Math.random() * 8);
    for (let index = 0; index < burst; index++) {
      person.text.insert(person.text.length, `${person.sent};`);
      person.sent++;
    }
    while (person.provider.unsyncedChanges > 0 && !stopped()) await sleep(2);
    if (person.provider.unsyncedChanges === 0) person.acknowledged = person.sent;
    await sleep(Math.random() * 20);
  }
}

/** Checks one person's text: acknowledged tokens all there in order; returns [lost, garbled]. */
function check(stored: string, person: { sent: number; acknowledged: number }): [number, number] {
  const tokens = stored.split(";").filter(Boolean).map(Number);
  let lost = 0;
  for (let n = 0; n < person.acknowledged; n++) if (tokens[n] !== n) lost++;
  const garbled = tokens.filter((token, index) => token !== index || token >= person.sent).length;
  return [lost, garbled];
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const peopleCount = options.people ?? 3;
  const maxUptimeMs = options.maxUptimeMs ?? 1500;
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-soak-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server = await startServer(dataDir, port);
  const people: Person[] = [];
  try {
    const owner = await signUp({ url } as never, "soak@example.com");
    const { canvasId } = await workspaceWithCanvas({ url } as never, owner, "doc");
    for (let index = 0; index < peopleCount; index++) {
      const client = connect(url, canvasId, owner.token);
      people.push({ provider: client.provider, text: client.document.getText(`person-${index}`), sent: 0, acknowledged: 0, destroy: client.destroy });
    }
    await until(() => people.every((person) => person.provider.isSynced), "the first sync", 60_000);

    let typing = true;
    const loops = people.map((person) => typeUntil(person, () => !typing));
    const totals = (): SoakProgress => ({
      kills: 0,
      acknowledged: people.reduce((sum, person) => sum + person.acknowledged, 0),
      sent: people.reduce((sum, person) => sum + person.sent, 0),
    });
    const recoveries: number[] = [];
    let kills = 0;
    for (; kills < options.kills; kills++) {
      // Every person acknowledged by this server process before it dies, then a random while.
      const before = people.map((person) => person.acknowledged);
      await until(() => people.every((person, index) => person.acknowledged > before[index]!), "every person to be acknowledged", 60_000);
      await sleep(Math.random() * maxUptimeMs);
      const killedAt = Date.now();
      await kill(server, "SIGKILL");
      options.onProgress?.({ ...totals(), kills: kills + 1 });
      server = await startServer(dataDir, port);
      const after = people.map((person) => person.acknowledged);
      await until(() => people.every((person, index) => person.acknowledged > after[index]!), "every person to be acknowledged after a restart", 90_000);
      recoveries.push(Date.now() - killedAt);
    }
    typing = false;
    await Promise.all(loops);
    const final = totals();
    const finalCounts = people.map((person) => ({ sent: person.sent, acknowledged: person.acknowledged }));
    // Forget the clients, so nothing they still hold can mask a lost update; one last
    // SIGKILL, then a fresh process and a fresh reader.
    for (const person of people.splice(0)) person.destroy();
    await kill(server, "SIGKILL");
    server = await startServer(dataDir, port);
    const reader = connect(url, canvasId, owner.token, new Y.Doc());
    await until(() => reader.provider.isSynced, "the reader to sync", 60_000);
    let lost = 0;
    let garbled = 0;
    for (const [index, counts] of finalCounts.entries()) {
      const [personLost, personGarbled] = check(reader.document.getText(`person-${index}`).toString(), counts);
      lost += personLost;
      garbled += personGarbled;
    }
    reader.destroy();
    recoveries.sort((a, b) => a - b);
    return { ...final, kills, people: peopleCount, lost, garbled, elapsedMs: Date.now() - started, medianRecoveryMs: recoveries[Math.floor(recoveries.length / 2)] ?? 0 };
  } finally {
    for (const person of people) person.destroy();
    await kill(server, "SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A load-generating client process (forked by the coordinator, never sharing a process
 * with a server). Connects real providers, types, and logs per update: the send time
 * keyed by (clientID, end clock) on the writer, the arrival time of each clock range on
 * every receiver.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as Y from "yjs";
import { connect, counters, SocketPool, type Connection } from "./providers.ts";
import type { ClientSpec, Endpoint, FinalClock, FromClient, Pace, ReceiptLog, SendLog, ToClient } from "./protocol.ts";
import { contentLength, TextWriter } from "./text-writer.ts";

const now = () => Number(process.hrtime.bigint()) / 1e6; // CLOCK_MONOTONIC: same clock in every process
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Client {
  spec: ClientSpec;
  conn: Connection;
  writer: TextWriter | null;
  sends: number[]; // end clock, time, end clock, time, ...
  receipts: Map<number, number[]>; // sender → clock, time, ...
}

let pool: SocketPool | null = null;
let clients: Client[] = [];
let recording = false;
const timers: NodeJS.Timeout[] = [];
process.setMaxListeners(0); // y-websocket adds an exit listener per provider
const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 });
let cpuAtStart = process.cpuUsage();

function send(message: FromClient) {
  process.send!(message);
}

function watch(client: Client) {
  const own = client.spec.clientID;
  client.conn.doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (!recording) return;
    const time = now();
    const { to } = Y.parseUpdateMeta(update);
    if (client.writer && origin === client.writer.origin) {
      const end = to.get(own);
      if (end !== undefined) client.sends.push(end, time);
      return;
    }
    for (const [sender, clock] of to) {
      if (sender === own) continue;
      let log = client.receipts.get(sender);
      if (!log) client.receipts.set(sender, (log = []));
      log.push(clock, time);
    }
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function connectAll(endpoint: Endpoint, specs: ClientSpec[], timeoutMs: number) {
  const started = now();
  pool ??= new SocketPool(endpoint);
  const added: Client[] = [];
  let failed = 0;
  const batch = 50;
  for (let i = 0; i < specs.length; i += batch) {
    const group = specs.slice(i, i + batch).map((spec) => {
      const doc = new Y.Doc();
      doc.clientID = spec.clientID;
      const conn = connect(endpoint, pool!, spec.doc, spec.socketGroup, doc);
      const writer = spec.role === "viewer" ? null : new TextWriter(doc, { writer: spec.id }, [60, 400]);
      const client: Client = { spec, conn, writer, sends: [], receipts: new Map() };
      watch(client);
      clients.push(client);
      added.push(client);
      return client;
    });
    const results = await Promise.allSettled(group.map((c) => withTimeout(c.conn.synced, timeoutMs)));
    failed += results.filter((r) => r.status === "rejected" || r.value === "timeout").length;
  }
  // Writers open their first paragraph; idle documents get some content to hold.
  for (const client of added) {
    if (client.spec.role === "idle") client.writer!.append(200);
    else if (client.writer) client.writer.append(1);
  }
  send({ type: "connected", ms: now() - started, failed });
}

function start(pace: Pace) {
  // One ticker drives every writer on a fixed schedule (no setInterval drift): each
  // writer has its next due time and catches up, a few edits at most, if the loop lagged.
  const begin = now();
  const writers = clients
    .filter((c) => c.writer && c.spec.role !== "idle")
    .map((c) => {
      const agent = c.spec.role === "agent";
      const interval = agent ? pace.agentIntervalMs : pace.typistIntervalMs;
      // Random phase so writers do not fire in lockstep.
      return { writer: c.writer!, interval, chars: agent ? pace.agentChars : 1, due: begin + Math.random() * interval };
    });
  timers.push(
    setInterval(() => {
      const t = now();
      for (const w of writers) {
        for (let n = 0; w.due <= t && n < 5; n++) {
          w.writer.edit(w.chars);
          w.due += w.interval;
        }
        if (w.due <= t) w.due = t + w.interval; // too far behind: skip rather than burst
      }
    }, 5),
  );
  setTimeout(() => {
    recording = true;
    counters.framesSent = 0;
    counters.disconnects = 0;
    cpuAtStart = process.cpuUsage();
    eventLoopDelay.reset();
    eventLoopDelay.enable();
  }, pace.warmupMs);
  setTimeout(() => {
    for (const timer of timers) clearTimeout(timer);
    timers.length = 0;
    const finals: FinalClock[] = clients
      .filter((c) => c.writer)
      .map((c) => [c.spec.doc, c.spec.clientID, Y.getState(c.conn.doc.store, c.spec.clientID)]);
    send({ type: "stopped", finals });
  }, pace.warmupMs + pace.durationMs);
}

async function drain(finals: FinalClock[], timeoutMs: number) {
  const byDoc = new Map<string, FinalClock[]>();
  for (const final of finals) {
    const list = byDoc.get(final[0]) ?? [];
    list.push(final);
    byDoc.set(final[0], list);
  }
  const caughtUp = () =>
    clients.every((c) =>
      (byDoc.get(c.spec.doc) ?? []).every(
        ([, sender, clock]) => sender === c.spec.clientID || Y.getState(c.conn.doc.store, sender) >= clock,
      ),
    );
  const deadline = now() + timeoutMs;
  while (!caughtUp() && now() < deadline) await sleep(20);
  const drained = caughtUp();
  recording = false;
  eventLoopDelay.disable();
  const cpu = process.cpuUsage(cpuAtStart);
  const sends: SendLog[] = [];
  const receipts: ReceiptLog[] = [];
  for (const c of clients) {
    if (c.sends.length) sends.push(split(c.spec.clientID, c.sends));
    for (const [sender, log] of c.receipts) {
      const { ends, times } = split(sender, log);
      receipts.push({ receiver: c.spec.id, sender, clocks: ends, times });
    }
  }
  send({
    type: "result",
    result: {
      sends,
      receipts,
      framesSent: counters.framesSent,
      cpuMs: (cpu.user + cpu.system) / 1000,
      eventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
      disconnects: counters.disconnects,
      drained,
    },
  });
}

function split(client: number, pairs: number[]): SendLog {
  const ends = new Float64Array(pairs.length / 2);
  const times = new Float64Array(pairs.length / 2);
  for (let i = 0; i < ends.length; i++) {
    ends[i] = pairs[2 * i]!;
    times[i] = pairs[2 * i + 1]!;
  }
  return { client, ends, times };
}

/** Writes a realistic document: many small edits from several writers, paced per socket. */
async function prepare(endpoint: Endpoint, docName: string, chars: number, writerCount: number, rate: number) {
  const started = now();
  const prepPool = new SocketPool(endpoint);
  const writers = Array.from({ length: writerCount }, (_, i) => {
    const doc = new Y.Doc();
    const conn = connect(endpoint, prepPool, docName, `prepare-${i}`, doc);
    return { conn, writer: new TextWriter(doc, { prepare: i }, [300, 700]), written: 0, updates: 0 };
  });
  await Promise.all(writers.map((w) => w.conn.synced));
  const perWriter = chars / writerCount;
  await Promise.all(
    writers.map(async (w) => {
      const begin = now();
      while (w.written < perWriter) {
        const due = Math.floor(((now() - begin) * rate) / 1000) - w.updates;
        for (let i = 0; i < due && w.written < perWriter; i++) {
          w.written += w.writer.edit(5 + Math.floor(Math.random() * 56), true);
          w.updates++;
        }
        while (w.conn.unsynced() > 100) await sleep(5); // the server's acknowledgements pace us
        await sleep(10);
      }
    }),
  );
  // Everything acknowledged, and every writer sees the same document.
  const settled = () =>
    writers.every((w) => w.conn.unsynced() === 0) &&
    writers.every((w) => contentLength(w.conn.doc) === contentLength(writers[0]!.conn.doc));
  const deadline = now() + 60_000;
  while (!settled() && now() < deadline) await sleep(50);
  const length = contentLength(writers[0]!.conn.doc);
  for (const w of writers) w.conn.destroy();
  prepPool.destroy();
  const updates = writers.reduce((sum, w) => sum + w.updates, 0);
  send({ type: "prepared", updates, chars: length, ms: now() - started });
}

async function cold(endpoint: Endpoint, docName: string, timeoutMs: number) {
  const coldPool = new SocketPool(endpoint);
  const doc = new Y.Doc();
  const started = now();
  const conn = connect(endpoint, coldPool, docName, "cold", doc);
  const outcome = await withTimeout(conn.synced, timeoutMs);
  const ms = outcome === "timeout" ? Number.NaN : now() - started;
  const chars = contentLength(doc);
  conn.destroy();
  coldPool.destroy();
  send({ type: "cold", ms, chars });
}

process.on("message", (message: ToClient) => {
  const handle = async () => {
    switch (message.type) {
      case "connect":
        return connectAll(message.endpoint, message.clients, message.timeoutMs);
      case "start":
        return start(message.pace);
      case "drain":
        return drain(message.finals, message.timeoutMs);
      case "prepare":
        return prepare(message.endpoint, message.doc, message.chars, message.writers, message.updatesPerSecond);
      case "cold":
        return cold(message.endpoint, message.doc, message.timeoutMs);
      case "close":
        for (const c of clients) c.conn.destroy();
        pool?.destroy();
        clients = [];
        send({ type: "closed" });
        setTimeout(() => process.exit(0), 200);
    }
  };
  handle().catch((error: unknown) => send({ type: "error", message: String((error as Error)?.stack ?? error) }));
});

/** Messages between the coordinator (run.ts) and load-client processes. */

export type Role = "typist" | "agent" | "viewer" | "idle";

export interface Endpoint {
  /** "hocuspocus": HocuspocusProvider over shared sockets; "y-websocket": WebsocketProvider. */
  kind: "hocuspocus" | "y-websocket";
  url: string;
  token?: string;
}

export interface ClientSpec {
  id: number;
  doc: string;
  role: Role;
  /** Yjs clientID, unique across the run so updates can be matched by (client, clock). */
  clientID: number;
  /** Clients of one process with the same group share one Hocuspocus socket. */
  socketGroup: string;
}

export interface Pace {
  /** Typing before measuring starts (JIT warm-up of server and clients); not recorded. */
  warmupMs: number;
  durationMs: number;
  typistIntervalMs: number;
  agentIntervalMs: number;
  agentChars: number;
}

/** [doc, clientID, end clock] */
export type FinalClock = [string, number, number];

export type ToClient =
  | { type: "connect"; endpoint: Endpoint; clients: ClientSpec[]; timeoutMs: number }
  | { type: "start"; pace: Pace }
  | { type: "drain"; finals: FinalClock[]; timeoutMs: number }
  | { type: "prepare"; endpoint: Endpoint; doc: string; chars: number; writers: number; updatesPerSecond: number }
  | { type: "cold"; endpoint: Endpoint; doc: string; timeoutMs: number }
  | { type: "close" };

export interface SendLog {
  client: number;
  ends: Float64Array;
  times: Float64Array;
}

export interface ReceiptLog {
  receiver: number;
  sender: number;
  clocks: Float64Array;
  times: Float64Array;
}

export interface RunResult {
  sends: SendLog[];
  receipts: ReceiptLog[];
  framesSent: number;
  cpuMs: number;
  eventLoopDelayP99Ms: number;
  disconnects: number;
  drained: boolean;
}

export type FromClient =
  | { type: "connected"; ms: number; failed: number }
  | { type: "stopped"; finals: FinalClock[] }
  | { type: "result"; result: RunResult }
  | { type: "prepared"; updates: number; chars: number; ms: number }
  | { type: "cold"; ms: number; chars: number }
  | { type: "closed" }
  | { type: "error"; message: string };

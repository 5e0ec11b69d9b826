/** Benchmark profiles and sizes: the default run and the `--quick` smoke run. */
import type { Pace, Role } from "./protocol.ts";

export interface ProfileSpec {
  key: string;
  title: string;
  docs: number;
  /** The clients of every document, by role. */
  roles: Role[];
  pace: Pace;
}

export interface Settings {
  quick: boolean;
  profiles: ProfileSpec[];
  /** Load-generating client processes (the server never shares one with clients). */
  clientProcesses: number;
  /** Hocuspocus documents multiplexed over one socket of a simulated user. */
  docsPerSocket: number;
  connectTimeoutMs: number;
  settleMs: number;
  drainTimeoutMs: number;
  memory: { docs: number; idleMs: number };
  cold: { sizes: number[]; writers: number; updatesPerSecondPerWriter: number };
}

const typist = { typistIntervalMs: 500 }; // 2 chars/s
const agent = { agentIntervalMs: 50, agentChars: 30 }; // a streaming AI writer: 600 chars/s

export function settingsFor(quick: boolean): Settings {
  const durationMs = quick ? 8_000 : 30_000;
  const pace: Pace = { warmupMs: quick ? 2_000 : 3_000, durationMs, ...typist, ...agent };
  const manyDocs = quick ? 40 : 200;
  return {
    quick,
    profiles: [
      {
        key: "one-doc-50-typists",
        title: "1 doc × 50 typists at 2 chars/s",
        docs: 1,
        roles: Array(50).fill("typist"),
        pace,
      },
      {
        key: "many-docs-mixed",
        title: `${manyDocs} docs × 4 clients (typist 2 chars/s, agent 30 chars/50 ms, 2 viewers)`,
        docs: manyDocs,
        roles: ["typist", "agent", "viewer", "viewer"],
        pace,
      },
    ],
    clientProcesses: 2,
    docsPerSocket: 10,
    connectTimeoutMs: 30_000,
    settleMs: 1_500,
    drainTimeoutMs: quick ? 5_000 : 10_000,
    memory: { docs: quick ? 100 : 800, idleMs: quick ? 3_000 : 6_000 },
    cold: {
      sizes: quick ? [20_000, 100_000] : [100_000, 1_000_000],
      writers: 6,
      updatesPerSecondPerWriter: 400, // under Cocanvas's 500 messages/s per connection
    },
  };
}

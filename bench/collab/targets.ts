/** The servers under test: how to start each, reach it, and create documents on it. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Endpoint } from "./protocol.ts";
import { freePort, inspectable, ServerProcess } from "./server-process.ts";
import { cocanvasSetup, type CocanvasSession } from "./cocanvas.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const serversDir = path.join(repoRoot, "bench/collab/servers");

export interface Target {
  key: "cocanvas" | "hocuspocus" | "relay" | "compare";
  label: string;
  /** Whether documents survive a restart (cold load is measured only then). */
  persistent: boolean;
  /** `inspect`: with an inspector, so the memory phase can collect garbage before measuring. */
  start(options?: { inspect?: boolean }): Promise<ServerProcess>;
  endpoint(): Endpoint;
  /** Creates `count` empty documents (the server must be running) and returns their names. */
  createDocs(count: number, label: string): Promise<string[]>;
}

interface TargetContext {
  workDir: string;
  port: number;
}

/**
 * `--profile=DIR`: each server process writes a V8 CPU profile into DIR/<target>/ when it
 * stops (open it in Chrome DevTools → Performance, or read it with bench/collab/top-functions.ts).
 */
function profiling(key: string): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, key)}`] : [];
}

async function context(key: string, workDir: string): Promise<TargetContext> {
  const dir = path.join(workDir, key);
  fs.mkdirSync(dir, { recursive: true });
  return { workDir: dir, port: await freePort() };
}

let nameCounter = 0;
const plainNames = (count: number, label: string) =>
  Array.from({ length: count }, () => `bench-${label}-${++nameCounter}`);

function anchorServer(file: string, ctx: TargetContext, inspect = false): Promise<ServerProcess> {
  return ServerProcess.start({
    command: process.execPath,
    args: [...profiling(path.basename(ctx.workDir)), "--import", "tsx", path.join(serversDir, file)],
    env: { PORT: String(ctx.port), DATA_DIR: ctx.workDir, ...(inspect ? inspectable : {}) },
    cwd: repoRoot,
    healthUrl: `http://127.0.0.1:${ctx.port}/`,
    logFile: path.join(ctx.workDir, "server.log"),
  });
}

export async function relayTarget(workDir: string): Promise<Target> {
  const ctx = await context("relay", workDir);
  return {
    key: "relay",
    label: "y-websocket relay",
    persistent: false,
    start: (options) => anchorServer("y-websocket-relay.ts", ctx, options?.inspect),
    endpoint: () => ({ kind: "y-websocket", url: `ws://127.0.0.1:${ctx.port}` }),
    createDocs: async (count, label) => plainNames(count, label),
  };
}

export async function hocuspocusTarget(workDir: string): Promise<Target> {
  const ctx = await context("hocuspocus", workDir);
  return {
    key: "hocuspocus",
    label: "hocuspocus",
    persistent: true,
    start: (options) => anchorServer("hocuspocus-sqlite.ts", ctx, options?.inspect),
    endpoint: () => ({ kind: "hocuspocus", url: `ws://127.0.0.1:${ctx.port}` }),
    createDocs: async (count, label) => plainNames(count, label),
  };
}

export async function cocanvasTarget(workDir: string, checkout = repoRoot, key: "cocanvas" | "compare" = "cocanvas"): Promise<Target> {
  const ctx = await context(key, workDir);
  let session: CocanvasSession | null = null;
  const env = { PORT: String(ctx.port), COCANVAS_DATA_DIR: path.join(ctx.workDir, "data") };
  return {
    key,
    label: key === "cocanvas" ? "cocanvas" : `cocanvas at ${checkout}`,
    persistent: true,
    async start(options) {
      session ??= await cocanvasSetup(checkout, env, ctx.workDir);
      // Profiled, node runs the CLI itself (node refuses --cpu-prof in NODE_OPTIONS, so not through npx).
      const profiled = profiling(key);
      const command = profiled.length
        ? { command: process.execPath, args: [...profiled, path.join(checkout, "packages/server/bin/cocanvas.js"), "serve"] }
        : session.serveCommand;
      return ServerProcess.start({
        ...command,
        env: { ...env, ...(options?.inspect ? inspectable : {}) },
        cwd: checkout,
        healthUrl: `http://127.0.0.1:${ctx.port}/api/health`,
        logFile: path.join(ctx.workDir, "server.log"),
      });
    },
    endpoint: () => ({ kind: "hocuspocus", url: `ws://127.0.0.1:${ctx.port}/collab`, token: session!.token }),
    createDocs: (count, label) => session!.createCanvases(`http://127.0.0.1:${ctx.port}`, count, label),
  };
}

export const targetFactories = {
  cocanvas: (workDir: string) => cocanvasTarget(workDir),
  /** `--compare=DIR`: Cocanvas from another checkout (say, main before a change), measured in the same run. */
  compare: (workDir: string) => cocanvasTarget(workDir, path.resolve(process.env.BENCH_COMPARE_DIR ?? repoRoot), "compare"),
  hocuspocus: hocuspocusTarget,
  relay: relayTarget,
} as const;

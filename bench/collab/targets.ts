/** The servers under test: how to start each, reach it, and create documents on it. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Endpoint } from "./protocol.ts";
import { freePort, ServerProcess } from "./server-process.ts";
import { cocanvasSetup, type CocanvasSession } from "./cocanvas.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const serversDir = path.join(repoRoot, "bench/collab/servers");

export interface Target {
  key: "cocanvas" | "hocuspocus" | "relay";
  label: string;
  /** Whether documents survive a restart (cold load is measured only then). */
  persistent: boolean;
  start(): Promise<ServerProcess>;
  endpoint(): Endpoint;
  /** Creates `count` empty documents (the server must be running) and returns their names. */
  createDocs(count: number, label: string): Promise<string[]>;
}

interface TargetContext {
  workDir: string;
  port: number;
}

async function context(key: string, workDir: string): Promise<TargetContext> {
  const dir = path.join(workDir, key);
  fs.mkdirSync(dir, { recursive: true });
  return { workDir: dir, port: await freePort() };
}

let nameCounter = 0;
const plainNames = (count: number, label: string) =>
  Array.from({ length: count }, () => `bench-${label}-${++nameCounter}`);

function anchorServer(file: string, ctx: TargetContext): Promise<ServerProcess> {
  return ServerProcess.start({
    command: process.execPath,
    args: ["--import", "tsx", path.join(serversDir, file)],
    env: { PORT: String(ctx.port), DATA_DIR: ctx.workDir },
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
    start: () => anchorServer("y-websocket-relay.ts", ctx),
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
    start: () => anchorServer("hocuspocus-sqlite.ts", ctx),
    endpoint: () => ({ kind: "hocuspocus", url: `ws://127.0.0.1:${ctx.port}` }),
    createDocs: async (count, label) => plainNames(count, label),
  };
}

export async function cocanvasTarget(workDir: string): Promise<Target> {
  const ctx = await context("cocanvas", workDir);
  let session: CocanvasSession | null = null;
  const env = { PORT: String(ctx.port), COCANVAS_DATA_DIR: path.join(ctx.workDir, "data") };
  return {
    key: "cocanvas",
    label: "cocanvas",
    persistent: true,
    async start() {
      session ??= await cocanvasSetup(repoRoot, env, ctx.workDir);
      return ServerProcess.start({
        ...session.serveCommand,
        env,
        cwd: repoRoot,
        healthUrl: `http://127.0.0.1:${ctx.port}/api/health`,
        logFile: path.join(ctx.workDir, "server.log"),
      });
    },
    endpoint: () => ({ kind: "hocuspocus", url: `ws://127.0.0.1:${ctx.port}/collab`, token: session!.token }),
    createDocs: (count, label) => session!.createCanvases(`http://127.0.0.1:${ctx.port}`, count, label),
  };
}

export const targetFactories = {
  cocanvas: cocanvasTarget,
  hocuspocus: hocuspocusTarget,
  relay: relayTarget,
} as const;

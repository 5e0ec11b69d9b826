/**
 * Cocanvas's side of the benchmark: is its server there yet, an admin account and an
 * API token made with its CLI, and canvases made through its HTTP API.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export function cocanvasAvailable(repoRoot: string): boolean {
  return ["packages/server/src/cli/main.ts", "packages/server/bin/cocanvas.js"].every((file) =>
    fs.existsSync(path.join(repoRoot, file)),
  );
}

/**
 * `npx cocanvas …` when npm has linked the workspace's bin; otherwise the same script
 * run by node directly (a bare `npx cocanvas` would then fetch an unrelated package).
 */
function cli(repoRoot: string): { command: string; args: string[] } {
  if (fs.existsSync(path.join(repoRoot, "node_modules/.bin/cocanvas"))) {
    return { command: "npx", args: ["--no", "cocanvas"] };
  }
  return { command: process.execPath, args: [path.join(repoRoot, "packages/server/bin/cocanvas.js")] };
}

export interface CocanvasSession {
  token: string;
  serveCommand: { command: string; args: string[] };
  createCanvases(baseUrl: string, count: number, label: string): Promise<string[]>;
}

export async function cocanvasSetup(
  repoRoot: string,
  env: Record<string, string>,
  workDir: string,
): Promise<CocanvasSession> {
  fs.mkdirSync(env.COCANVAS_DATA_DIR!, { recursive: true });
  const { command, args } = cli(repoRoot);
  const options = { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 };
  const email = "bench@example.com";
  const password = "bench-password-123";
  await run(command, [...args, "user", "create", "--email", email, "--password", password, "--admin"], options).catch(
    (error: { stderr?: string }) => {
      if (!/already exists/.test(error.stderr ?? "")) throw error; // a data dir reused: keep its account
    },
  );
  const { stdout } = await run(command, [...args, "token", "create", "--email", email], options);
  const token = stdout.trim().split("\n").pop()!.trim();
  fs.writeFileSync(path.join(workDir, "token.txt"), token);

  let workspaceId: string | null = null;
  const post = async (baseUrl: string, route: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${route}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  return {
    token,
    serveCommand: { command, args: [...args, "serve"] },
    async createCanvases(baseUrl, count, label) {
      workspaceId ??= (await post(baseUrl, "/api/workspaces", { name: "Benchmark" })).id;
      const ids: string[] = [];
      for (let i = 0; i < count; i += 10) {
        const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) =>
          post(baseUrl, `/api/workspaces/${workspaceId}/canvases`, { title: `${label} ${i + k + 1}`, kind: "doc" }),
        );
        ids.push(...(await Promise.all(batch)).map((c) => c.id));
      }
      return ids;
    },
  };
}

import fs from "node:fs";
import path from "node:path";

const pidFile = (dataDir: string) => path.join(dataDir, "server.pid");

/** Records that a server runs on this data folder, so `restore` can refuse to run under it. */
export function writeServerPid(dataDir: string): void {
  fs.writeFileSync(pidFile(dataDir), String(process.pid));
}

export function clearServerPid(dataDir: string): void {
  fs.rmSync(pidFile(dataDir), { force: true });
}

/** The pid of a live server on this data folder, or null. */
export function runningServerPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile(dataDir), "utf8"));
  } catch {
    return null;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

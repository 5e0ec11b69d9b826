import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";

/**
 * A pids control group that caps how many processes one sandboxed run may have (a fork
 * bomb then fails with EAGAIN instead of filling the machine). RLIMIT_NPROC does not
 * hold for root, which is how CI and many self-hosters run the server, so a cgroup is
 * the only cap that works everywhere it is available; where none is writable the
 * run's wall-clock deadline still kills the whole process tree.
 */
export class ProcessGroupLimit {
  private constructor(readonly directory: string) {}

  /** A new group allowing `maxProcesses`, or null when no pids controller is writable here. */
  static create(maxProcesses: number): ProcessGroupLimit | null {
    for (const root of ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"]) {
      if (!fs.existsSync(path.join(root, "cgroup.procs"))) continue;
      const directory = path.join(root, `cocanvas-sandbox-${randomUUID()}`);
      try {
        fs.mkdirSync(directory);
        fs.writeFileSync(path.join(directory, "pids.max"), String(maxProcesses));
        return new ProcessGroupLimit(directory);
      } catch {
        try {
          fs.rmdirSync(directory);
        } catch {
          // it was never made
        }
      }
    }
    return null;
  }

  /** The file a process writes its pid into to join the group. */
  get procsFile(): string {
    return path.join(this.directory, "cgroup.procs");
  }

  /** Kills whatever is left in the group and removes it (waiting up to 2 s for the processes to go). */
  async dispose(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      let pids: number[] = [];
      try {
        pids = fs.readFileSync(this.procsFile, "utf8").split("\n").filter(Boolean).map(Number);
      } catch {
        return;
      }
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      try {
        fs.rmdirSync(this.directory);
        return;
      } catch {
        // processes still exiting: look again shortly
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}

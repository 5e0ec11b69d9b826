/** CPU and memory of a process and all its descendants, read from /proc (Linux). */
import fs from "node:fs";

const ticksPerSecond = 100; // USER_HZ; 100 on every mainstream Linux build
const pageBytes = 4096;

interface ProcEntry {
  pid: number;
  ppid: number;
  cpuMs: number;
  rssBytes: number;
}

function readEntry(pid: number): ProcEntry | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name (which may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { pid, ppid, cpuMs: ((utime + stime) * 1000) / ticksPerSecond, rssBytes: rssPages * pageBytes };
  } catch {
    return null;
  }
}

/** The process `rootPid` and every process below it. */
export function processTree(rootPid: number): ProcEntry[] {
  const all: ProcEntry[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readEntry(Number(name));
    if (entry) all.push(entry);
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of all) {
      if (!inTree.has(entry.pid) && inTree.has(entry.ppid)) {
        inTree.add(entry.pid);
        grew = true;
      }
    }
  }
  return all.filter((entry) => inTree.has(entry.pid));
}

export interface TreeUsage {
  /** CPU of the whole tree (a wrapper like `npx` included: it is idle). */
  cpuMs: number;
  /** RSS of the largest process of the tree: the server, not a wrapper like `npm exec`. */
  rssBytes: number;
  processes: number;
}

/** Summed CPU time (user + system) of a process tree, and its server's RSS. */
export function treeUsage(rootPid: number): TreeUsage {
  const tree = processTree(rootPid);
  return {
    cpuMs: tree.reduce((sum, entry) => sum + entry.cpuMs, 0),
    rssBytes: Math.max(0, ...tree.map((entry) => entry.rssBytes)),
    processes: tree.length,
  };
}

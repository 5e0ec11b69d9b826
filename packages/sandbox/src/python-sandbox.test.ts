import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { pythonStatus, runPython } from "./python-sandbox.ts";

// These run real Python under bubblewrap (Debian: bubblewrap python3 python3-pandas python3-matplotlib).
const here = await pythonStatus();
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-test-python-"));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe.runIf(here.available || process.env.CI)("Python in its sandbox", () => {
  test("the machine has what Python needs (CI installs it)", () => {
    expect(here).toMatchObject({ available: true, missing: [] });
  });

  test("runs code with its input, stdin and pandas, and returns stdout, files and figures", async () => {
    const csv = path.join(folder, "sales.csv");
    fs.writeFileSync(csv, "region,amount\nnorth,10\nsouth,5\nnorth,7\n");
    const result = await runPython({
      code: [
        "import sys, pandas as pd, matplotlib.pyplot as plt",
        "frame = pd.read_csv('/data/sales.csv')",
        "totals = frame.groupby('region').amount.sum()",
        "print(totals.to_dict(), sys.stdin.read().strip())",
        "totals.to_csv('totals.csv')",
        "totals.plot.bar()",
      ].join("\n"),
      stdin: "hello",
      inputs: [{ name: "sales.csv", path: csv }],
    });
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ status: "ok", exitCode: 0, stdout: "{'north': 17, 'south': 5} hello\n" });
    expect(result.files.find((file) => file.name === "totals.csv")?.bytes.toString()).toContain("north,17");
    expect(result.figures).toHaveLength(1);
    expect(result.figures[0]!.subarray(1, 4).toString()).toBe("PNG");
  });

  test("an exception is an error with the person's own traceback", async () => {
    const result = await runPython({ code: "x = 1\nraise ValueError('bad value')" });
    expect(result.status).toBe("error");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('File "main.py", line 2');
    expect(result.stderr).toContain("ValueError: bad value");
    expect(result.stderr).not.toContain("runner.py");
  });

  test("cannot read /etc/passwd, the server's files or the data folder", async () => {
    fs.writeFileSync(path.join(folder, "secret.txt"), "server secret");
    const result = await runPython({
      code: [
        "import os",
        `for path in ['/etc/passwd', '/etc/shadow', ${JSON.stringify(path.join(folder, "secret.txt"))}, ${JSON.stringify(process.cwd())}, '/root', '/work']:`,
        "    print(path, os.path.exists(path))",
      ].join("\n"),
    });
    expect(result.status).toBe("ok");
    expect(result.stdout).not.toContain("True");
    expect(result.stdout).not.toContain("server secret");
  });

  test("cannot open a socket, not even to this machine", async () => {
    const result = await runPython({
      code: "import socket\ns = socket.socket()\ns.settimeout(2)\ns.connect(('127.0.0.1', 22))",
    });
    expect(result.status).toBe("error");
    expect(result.stderr).toMatch(/Network is unreachable|Connection refused|OSError/);
  });

  test("cannot write outside its working folder", async () => {
    const result = await runPython({ code: "open('/usr/evil', 'w').write('x')" });
    expect(result.status).toBe("error");
    expect(result.stderr).toMatch(/Read-only file system|Permission denied/);
  });

  test("a huge allocation is a MemoryError, not a dead server", async () => {
    const result = await runPython({ code: "block = bytearray(8 * 1024 ** 3)", limits: { memoryBytes: 512 * 1024 * 1024 } });
    expect(result.status).toBe("error");
    expect(result.stderr).toContain("MemoryError");
  });

  test("an endless loop is killed at its limit", async () => {
    const result = await runPython({ code: "while True: pass", limits: { cpuSeconds: 1, timeoutMs: 10_000 } });
    expect(result.status).toBe("killed");
    expect(result.stderr).toContain("Stopped");
  });

  test("a sleeping run is stopped at its wall-clock deadline", async () => {
    const result = await runPython({ code: "import time\ntime.sleep(60)", limits: { timeoutMs: 1_500 } });
    expect(result.status).toBe("timeout");
    expect(result.durationMs).toBeLessThan(15_000);
  });

  test("a fork bomb is contained and leaves nothing running", async () => {
    const result = await runPython({
      code: [
        "import os, time",
        "children = 0",
        "try:",
        "    for _ in range(500):",
        "        if os.fork() == 0:",
        "            time.sleep(30); os._exit(0)",
        "        children += 1",
        "except OSError as error:",
        "    print('refused after', children)",
        "else:",
        "    print('forked', children)",
      ].join("\n"),
      limits: { maxProcesses: 16, timeoutMs: 5_000 },
    });
    // With a pids cgroup the kernel refuses the 16th process; without one the deadline kills the tree.
    expect(result.stdout.startsWith("refused after") || result.status === "timeout").toBe(true);
    const leftovers = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("/code/runner.py");
      } catch {
        return false;
      }
    });
    expect(leftovers).toEqual([]);
  });

  test("output beyond the limit is cut with a note", async () => {
    const result = await runPython({ code: "print('x' * 100000)", limits: { maxOutputBytes: 1000 } });
    expect(result.stdout.length).toBeLessThan(1100);
    expect(result.stdout).toContain("more bytes not shown");
  });

  test("input names cannot escape /data", async () => {
    await expect(runPython({ code: "pass", inputs: [{ name: "../etc", path: folder }] })).rejects.toThrow(/not a usable input name/);
  });
});

/**
 * Data benchmark (issue #13): a generated CSV imported and grouped through Cocanvas (the
 * HTTP API of a running server), through DuckDB called directly, and through pandas
 * (`read_csv` + `groupby`) in the same run; plus the start-up cost of the Python and
 * JavaScript sandboxes. Writes its section of docs/benchmarks.md.
 *
 *   npx tsx bench/data/run.ts                 # 10,000,000 rows (~1 GB CSV)
 *   npx tsx bench/data/run.ts --rows=1000000  # a quicker run (numbers scale; not written to docs)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { runJavaScript, runPython } from "@cocanvas/sandbox";
import { startServer } from "@cocanvas/server";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const rowsArgument = process.argv.find((argument) => argument.startsWith("--rows="));
const rows = rowsArgument ? Number(rowsArgument.slice("--rows=".length)) : 10_000_000;
const writeDoc = !rowsArgument || process.argv.includes("--doc");
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-data-"));
const groupBy = "select region, count(*) as n, sum(amount) as total, avg(price) as mean_price from sales group by region order by region";
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function progress(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round((done / total) * 100)}%`);
  if (done >= total) process.stderr.write("\n");
}

/** A CSV of `rows` sales: region, product, amount, price, day — about 100 bytes a row. */
async function generateCsv(file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  const regions = ["north", "south", "east", "west", "central", "islands", "coast", "mountains"];
  out.write("id,region,product,amount,price,sold_on,note\n");
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const batch = 50_000;
  for (let start = 0; start < rows; start += batch) {
    let chunk = "";
    for (let row = start; row < Math.min(rows, start + batch); row++) {
      const day = 1 + Math.floor(random() * 28);
      chunk += `${row},${regions[Math.floor(random() * regions.length)]},product-${Math.floor(random() * 5000)},${1 + Math.floor(random() * 20)},${(random() * 300).toFixed(2)},2026-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(day).padStart(2, "0")},order number ${row} for a customer\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    progress("generating CSV", Math.min(rows, start + batch), rows);
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return fs.statSync(file).size;
}

async function duckdbDirect(file: string) {
  const instance = await DuckDBInstance.create(path.join(folder, "direct.duckdb"), { threads: String(os.cpus().length) });
  const connection = await instance.connect();
  let started = performance.now();
  await connection.run(`CREATE TABLE sales AS SELECT * FROM read_csv('${file}', delim = ',', header = true)`);
  const importMs = performance.now() - started;
  const queries: number[] = [];
  for (let round = 0; round < 5; round++) {
    started = performance.now();
    await connection.runAndReadAll(groupBy);
    queries.push(performance.now() - started);
  }
  connection.closeSync();
  instance.closeSync();
  return { importMs, queryMs: median(queries) };
}

async function cocanvas(file: string) {
  const server = await startServer({ port: 0, dataDir: path.join(folder, "server"), logLevel: "silent", webDir: null, maxDataUploadBytes: 8 * 1024 ** 3, sqlMemoryLimit: "4GB", sqlTimeoutSeconds: 600 });
  try {
    const signup = await fetch(`${server.url}/api/auth/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "bench@example.com", password: "correct horse battery" }) });
    const cookie = signup.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
    const { csrfToken } = (await signup.json()) as { csrfToken: string };
    const headers = { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
    const workspace = (await (await fetch(`${server.url}/api/workspaces`, { method: "POST", headers, body: JSON.stringify({ name: "Bench" }) })).json()) as { id: string };
    let started = performance.now();
    const upload = await fetch(`${server.url}/api/workspaces/${workspace.id}/data/sales?fileName=sales.csv`, { method: "PUT", headers: { cookie, "x-csrf-token": csrfToken }, body: fs.openAsBlob ? await fs.openAsBlob(file) : fs.readFileSync(file), duplex: "half" } as RequestInit);
    if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
    const importMs = performance.now() - started;
    const queries: number[] = [];
    for (let round = 0; round < 5; round++) {
      started = performance.now();
      const result = await fetch(`${server.url}/api/workspaces/${workspace.id}/data/query`, { method: "POST", headers, body: JSON.stringify({ sql: groupBy }) });
      if (result.status !== 200) throw new Error(`query: ${result.status} ${await result.text()}`);
      await result.json();
      queries.push(performance.now() - started);
    }

    // Ten people querying at once: each runs the group-by; the time until all have answers.
    started = performance.now();
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const begun = performance.now();
        const result = await fetch(`${server.url}/api/workspaces/${workspace.id}/data/query`, { method: "POST", headers, body: JSON.stringify({ sql: groupBy }) });
        await result.json();
        return performance.now() - begun;
      }),
    );
    return { importMs, queryMs: median(queries), tenAtOnceMs: performance.now() - started, tenAtOnceP50: median(concurrent) };
  } finally {
    await server.close();
  }
}

function pandas(file: string) {
  const script = `import time, pandas as pd\nstart = time.perf_counter()\nframe = pd.read_csv(${JSON.stringify(file)})\nloaded = time.perf_counter()\nframe.groupby('region').agg(n=('id', 'count'), total=('amount', 'sum'), mean_price=('price', 'mean'))\nprint(loaded - start, time.perf_counter() - loaded)`;
  const result = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(`pandas failed: ${result.stderr}\n`);
    return null;
  }
  const [load, group] = result.stdout.trim().split(" ").map((value) => Number(value) * 1000);
  return { importMs: load!, queryMs: group! };
}

async function sandboxStartup() {
  const python: number[] = [];
  const pythonPandas: number[] = [];
  const javascript: number[] = [];
  for (let round = 0; round < 7; round++) {
    python.push((await runPython({ code: "pass" })).durationMs);
    pythonPandas.push((await runPython({ code: "import pandas" })).durationMs);
    javascript.push((await runJavaScript({ code: "1" })).durationMs);
  }
  return { pythonMs: median(python), pythonPandasMs: median(pythonPandas), javascriptMs: median(javascript) };
}

const csv = path.join(folder, "sales.csv");
try {
  const bytes = await generateCsv(csv);
  process.stderr.write("DuckDB directly…\n");
  const direct = await duckdbDirect(csv);
  process.stderr.write("Cocanvas (HTTP upload and query)…\n");
  const ours = await cocanvas(csv);
  process.stderr.write("pandas…\n");
  const panda = pandas(csv);
  process.stderr.write("sandbox start-up…\n");
  const startup = await sandboxStartup();

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const table = [
    `${rows.toLocaleString("en")} rows, ${(bytes / 1e9).toFixed(2)} GB CSV; ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB; ${new Date().toISOString().slice(0, 10)}. Group-by: \`${groupBy}\` (median of 5).`,
    "",
    "| | import | group-by | import vs DuckDB | group-by vs DuckDB |",
    "|---|---|---|---|---|",
    `| Cocanvas (HTTP upload into the workspace's DuckDB, query through the API) | ${seconds(ours.importMs)} | ${seconds(ours.queryMs)} | ${(ours.importMs / direct.importMs).toFixed(2)}× | ${(ours.queryMs / direct.queryMs).toFixed(2)}× |`,
    `| DuckDB called directly | ${seconds(direct.importMs)} | ${seconds(direct.queryMs)} | 1.00× | 1.00× |`,
    panda ? `| pandas \`read_csv\` + \`groupby\` (Debian's 1.5) | ${seconds(panda.importMs)} | ${seconds(panda.queryMs)} | ${(panda.importMs / direct.importMs).toFixed(2)}× | ${(panda.queryMs / direct.queryMs).toFixed(2)}× |` : "| pandas | not installed | | | |",
    "",
    `Ten people running the group-by at once through the API: all answered after ${seconds(ours.tenAtOnceMs)} (median ${seconds(ours.tenAtOnceP50)} each; one workspace database serialises them).`,
    "",
    "| sandbox start-up (median of 7) | ms |",
    "|---|---|",
    `| Python under bubblewrap, \`pass\` | ${startup.pythonMs} |`,
    `| Python under bubblewrap, \`import pandas\` | ${startup.pythonPandasMs} |`,
    `| JavaScript in QuickJS (worker thread) | ${startup.javascriptMs} |`,
  ].join("\n");
  console.log(table);
  if (writeDoc) console.log(`\nwrote ${writeBenchmarksSection(root, "data", "Data: import and group-by (`npx tsx bench/data/run.ts`)", table)}`);
} finally {
  fs.rmSync(folder, { recursive: true, force: true });
}


/** Turns results into tables (stdout and docs/benchmarks.md) and raw JSON (bench/results/). */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";
import os from "node:os";
import path from "node:path";
import type { ProfileSpec, Settings } from "./config.ts";
import type { ColdLoadResult } from "./phases/cold-load.ts";
import type { MemoryResult } from "./phases/memory.ts";
import type { ProfileResult } from "./phases/profile.ts";

export interface TargetResult {
  key: string;
  label: string;
  errors: string[];
  profiles: Record<string, ProfileResult>;
  memory?: MemoryResult;
  cold?: ColdLoadResult[];
}

export interface RunReport {
  date: string;
  machine: { nproc: number; cpu: string; ramGb: number; node: string };
  command: string;
  settings: Settings;
  targets: TargetResult[];
}

export function machineInfo(): RunReport["machine"] {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const cpu = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  const nproc = Number(execFileSync("nproc").toString().trim());
  return { nproc, cpu, ramGb: Number((os.totalmem() / 2 ** 30).toFixed(1)), node: process.version };
}

const fmt = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function profileTable(profile: ProfileSpec, targets: TargetResult[]): string {
  const rows = targets.map((t) => {
    const r = t.profiles[profile.key];
    if (!r) return [t.label, "failed", "", "", "", "", "", "", "", ""];
    const l = r.latency;
    const deliveredPct = (100 * l.delivered) / Math.max(1, l.expected);
    return [
      t.label,
      fmt(l.p50Ms),
      r.roundsP99Ms && r.roundsP99Ms.length > 1 ? `${fmt(l.p99Ms)} (${r.roundsP99Ms.map((v) => fmt(v, 0)).join(", ")})` : fmt(l.p99Ms),
      fmt(l.maxMs, 0),
      `${l.delivered}/${l.expected} (${fmt(deliveredPct, deliveredPct === 100 ? 0 : 2)}%)`,
      `${l.updates}/${r.nominalUpdates}`,
      fmt(r.cpuPerMessageUs, 0),
      `${Math.round(r.serverCpuMs)} / ${r.messages}`,
      r.clientEventLoopDelayP99Ms.map((v) => fmt(v, 0)).join(", "),
      String(r.backgroundCpuPercent),
    ];
  });
  return table(
    [
      "server",
      "p50 ms",
      "p99 ms (each round)",
      "max ms",
      "delivered/expected",
      "updates sent/nominal",
      "server CPU µs/msg",
      "CPU ms / msgs",
      "client loop delay p99 ms",
      "other CPU %",
    ],
    rows,
  );
}

function resourceTable(settings: Settings, targets: TargetResult[]): string {
  const sizes = settings.cold.sizes;
  const sizeLabel = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  const rows = targets.map((t) => {
    const m = t.memory;
    const cold = sizes.map((_, i) => {
      const c = t.cold?.[i];
      if (!c) return "n/a";
      const ok = c.loadedChars === c.chars ? "" : ` (loaded ${c.loadedChars}/${c.chars} chars!)`;
      return `${fmt(c.coldMs, 0)}${ok}`;
    });
    const reload = sizes.map((_, i) => (t.cold?.[i] ? fmt(t.cold[i]!.reloadMs, 0) : "n/a"));
    return [
      t.label,
      m ? fmt(m.perOpenDocKb) : "–",
      m ? fmt(m.perOpenDocFromBaselineKb) : "–",
      m ? fmt(m.perClosedDocKb) : "–",
      ...cold,
      ...reload,
    ];
  });
  return table(
    [
      "server",
      `RSS KB per open idle doc (${settings.memory.docs / 2} → ${settings.memory.docs} docs)`,
      "same, from the empty server",
      "RSS KB per doc after clients left",
      ...sizes.map((n) => `cold load ${sizeLabel(n)} chars ms`),
      ...sizes.map((n) => `reload ${sizeLabel(n)} ms`),
    ],
    rows,
  );
}

function targetChecks(settings: Settings, targets: TargetResult[]): string {
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const many = settings.profiles[1]!.key;
  const p99 = (key: string) => byKey.get(key)?.profiles[many]?.latency.p99Ms;
  const coco = p99("cocanvas");
  const relay = p99("relay");
  const hocus = p99("hocuspocus");
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? "**met**" : "**missed**");
  if (coco === undefined) {
    lines.push("- Cocanvas was not measured in this run; targets not evaluated.");
  } else {
    if (relay !== undefined) {
      const ratio = coco / relay;
      lines.push(
        `- ${settings.profiles[1]!.title}: Cocanvas p99 ≤ 1.25× the y-websocket relay's — ${fmt(coco)} ms vs ${fmt(relay)} ms = ${fmt(ratio, 2)}× → ${verdict(ratio <= 1.25)}`,
      );
    }
    if (hocus !== undefined) {
      lines.push(
        `- Same profile: Cocanvas p99 better than bare Hocuspocus's — ${fmt(coco)} ms vs ${fmt(hocus)} ms → ${verdict(coco < hocus)}`,
      );
    }
    const big = byKey.get("cocanvas")?.cold?.at(-1);
    if (big) {
      lines.push(
        `- Cold load of the ${big.chars.toLocaleString("en")}-character document < 500 ms — ${fmt(big.coldMs, 0)} ms → ${verdict(big.coldMs < 500)}` +
          (settings.quick ? " (quick run: smaller document than the target's 1M)" : ""),
      );
    }
  }
  return lines.join("\n");
}

export function renderMarkdown(report: RunReport): string {
  const { machine, settings } = report;
  const parts = [
    `Run ${report.date} · \`${report.command}\``,
    "",
    `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}; ` +
      `servers and ${settings.clientProcesses} client processes on one machine over loopback.`,
    "",
  ];
  for (const profile of settings.profiles) {
    parts.push(`#### ${profile.title}, ${profile.pace.durationMs / 1000} s`, "", profileTable(profile, report.targets), "");
  }
  parts.push("#### Memory and cold load", "", resourceTable(settings, report.targets), "");
  parts.push("#### Targets", "", targetChecks(settings, report.targets), "");
  const errors = report.targets.flatMap((t) => t.errors.map((e) => `- ${t.label}: ${e.split("\n")[0]}`));
  if (errors.length) parts.push("#### Errors", "", ...errors, "");
  return parts.join("\n");
}

/** Writes or replaces the collab section of docs/benchmarks.md. */
export function writeBenchmarksDoc(repoRoot: string, markdown: string): string {
  return writeBenchmarksSection(repoRoot, "collab", "Collaboration server (`npm run bench:collab`)", markdown);
}

export function writeJson(repoRoot: string, report: RunReport): string {
  const dir = path.join(repoRoot, "bench/results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `collab-${report.date.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  return file;
}

/**
 * SIGKILL soak of the compiled server (see soak.ts):
 *
 *   npm run build && npx tsx bench/soak/run.ts --kills 100 [--people 3] [--no-doc]
 *
 * Writes its numbers into docs/benchmarks.md (unless --no-doc); exits 1 if anything
 * acknowledged was lost.
 */
import { parseArgs } from "node:util";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SingleBar } from "cli-progress";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";
import { machineInfo } from "../collab/report.ts";
import { runSoak } from "./soak.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({ options: { kills: { type: "string", default: "100" }, people: { type: "string", default: "3" }, "no-doc": { type: "boolean", default: false } } });
const kills = Number(values.kills);
const people = Number(values.people);

const bar = new SingleBar({ format: "SIGKILL soak [{bar}] {value}/{total} kills | {acknowledged} acknowledged of {sent} typed | {duration_formatted}", stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 });
bar.start(kills, 0, { acknowledged: 0, sent: 0 });
const result = await runSoak({ kills, people, onProgress: (state) => bar.update(state.kills, { acknowledged: state.acknowledged, sent: state.sent }) });
bar.stop();

const machine = machineInfo();
const markdown = [
  `Run ${new Date().toISOString()} · \`npx tsx bench/soak/run.ts --kills ${kills} --people ${people}\``,
  "",
  `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}. The compiled \`cocanvas serve\` in a child process, SIGKILLed at a random moment (up to 1.5 s after every person was acknowledged by it) and restarted on the same port and data folder, ${people} people typing numbered tokens in bursts through stock Hocuspocus providers that reconnect by themselves; a burst counts as acknowledged when the provider has no unsynced change left. At the end, one more SIGKILL, a fresh process and a fresh reader.`,
  "",
  "| kills | tokens typed | tokens acknowledged | acknowledged and lost | garbled | median recovery (SIGKILL → everyone acknowledged again) | time |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  `| ${result.kills} | ${result.sent} | ${result.acknowledged} | **${result.lost}** | ${result.garbled} | ${(result.medianRecoveryMs / 1000).toFixed(1)} s | ${(result.elapsedMs / 60_000).toFixed(1)} min |`,
].join("\n");
console.log(markdown);
if (!values["no-doc"]) console.error(`wrote ${writeBenchmarksSection(repoRoot, "soak", "SIGKILL soak (`npx tsx bench/soak/run.ts --kills 100`)", markdown)}`);
process.exit(result.lost || result.garbled ? 1 : 0);

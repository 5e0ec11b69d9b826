import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Command, Option } from "commander";
import { ApiError } from "@cocanvas/protocol";
import { exportFeedback, exportFilter, jsonLine } from "../feedback/preference-export.ts";
import type { Storage } from "../storage/storage.ts";
import { progressBar } from "./progress.ts";

interface Helpers {
  dataDirOption(): Option;
  withData(options: { dataDir?: string }, work: (data: { storage: Storage }) => Promise<void>): Promise<void>;
}

interface FeedbackExportOptions {
  workspace?: string;
  from?: string;
  to?: string;
  model?: string;
  agent?: string;
  out?: string;
  dataDir?: string;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** `cocanvas export feedback`: the preference data as JSONL. */
export function addExportCommands(program: Command, { dataDirOption, withData }: Helpers) {
  const exporter = program.command("export").description("export data for use elsewhere");
  exporter
    .command("feedback")
    .description("preference data as JSONL: SFT examples (accepted suggestions), preference pairs (edits, rejections), ratings (thumbs); see docs/decisions/0007")
    .option("--workspace <id>", "only this workspace")
    .option("--from <date>", "decisions at or after this date (YYYY-MM-DD, UTC) or ISO timestamp")
    .option("--to <date>", "decisions up to the end of this date (YYYY-MM-DD), or before this ISO timestamp")
    .option("--model <model>", "runs of this model (`model` or `provider:model`)")
    .option("--agent <agent>", "runs of this agent (name or id)")
    .option("-o, --out <file>", "write to a file (with a progress bar) instead of standard output")
    .addOption(dataDirOption())
    .action(async (options: FeedbackExportOptions) => {
      const filter = exportFilter({ workspaceId: options.workspace, from: options.from, to: options.to, model: options.model, agent: options.agent });
      await withData(options, async ({ storage }) => {
        if (!options.out) {
          for await (const record of exportFeedback(storage.feedback, filter)) await write(process.stdout, jsonLine(record));
          return;
        }
        let fd: number;
        try {
          fd = fs.openSync(options.out, "w");
        } catch (error) {
          throw new ApiError("invalid_request", `Cannot write ${options.out}: ${(error as Error).message}`);
        }
        const file = fs.createWriteStream("", { fd });
        const bar = progressBar("Exporting feedback", "decisions");
        let records = 0;
        try {
          for await (const record of exportFeedback(storage.feedback, filter, { onProgress: (done, total) => bar.update(done, total) })) {
            await write(file, jsonLine(record));
            records++;
          }
        } finally {
          bar.stop();
          file.end();
          await once(file, "close");
        }
        console.error(`Wrote ${records} records to ${path.resolve(options.out)}`);
      });
    });
}

import fs from "node:fs";
import path from "node:path";
import type { Command, Option } from "commander";
import { ApiError } from "@cocanvas/protocol";
import { loadConfig, type Config } from "../config.ts";
import { catalogue, catalogueEntry, defaultLocalModel, listPulledModels, modelsDir } from "../models/catalogue.ts";
import { checkGgufFile } from "../models/gguf-check.ts";
import { pullModel } from "../models/model-pull.ts";
import { ModelRegistry } from "../models/model-registry.ts";
import { runModelTrial } from "../models/model-trial.ts";
import type { ChosenModel } from "../models/model-settings.ts";
import type { Storage } from "../storage/storage.ts";
import { progressBar } from "./progress.ts";

interface Helpers {
  dataDirOption(): Option;
  withData(options: { dataDir?: string }, work: (data: { config: Config; storage: Storage }) => Promise<void>): Promise<void>;
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1_000_000)} MB`;
const sourceText: Record<ChosenModel["source"], string> = {
  request: "from --model",
  workspace: "a workspace's default",
  admin: "set by an admin in Settings → Models",
  env: "from COCANVAS_MODEL",
  pulled: "the pulled default local model",
};

/** `cocanvas models pull|list|test`. */
export function addModelCommands(program: Command, { dataDirOption, withData }: Helpers) {
  const models = program.command("models").description("AI models: the embedded engine's files and the configured default");

  models
    .command("pull [name]")
    .description(`download a GGUF model into <data dir>/models (default: ${defaultLocalModel.name}); resumes a broken download, checks its SHA-256`)
    .option("--url <url>", "download from this address instead (any GGUF file; needs --sha256 unless NAME is in the catalogue)")
    .option("--sha256 <hex>", "the file's expected SHA-256")
    .addOption(dataDirOption())
    .action(async (name: string | undefined, options: { url?: string; sha256?: string; dataDir?: string }) => {
      const config = loadConfig(options.dataDir ? { dataDir: options.dataDir } : {});
      const requested = name?.trim() || defaultLocalModel.name;
      const entry = catalogueEntry(requested);
      let url: string;
      let sha256: string;
      let size: number | undefined;
      let file: string;
      if (entry && !options.sha256) {
        url = options.url ?? (config.modelsUrl ? `${config.modelsUrl.replace(/\/+$/, "")}/${entry.file}` : entry.url);
        ({ sha256, size, file } = entry);
      } else {
        if (!options.url || !options.sha256) {
          throw new ApiError("invalid_request", `unknown model '${requested}'; known: ${catalogue.map((known) => known.name).join(", ")} (or give --url and --sha256 to pull any GGUF file).`);
        }
        if (!/^[\w.-]+$/.test(requested)) throw new ApiError("invalid_request", `'${requested}' cannot be a file name: use letters, digits, '.', '-' and '_'.`);
        url = options.url;
        sha256 = options.sha256;
        file = entry?.file ?? (requested.endsWith(".gguf") ? requested : `${requested}.gguf`);
      }
      const target = path.join(modelsDir(config.dataDir), file);
      const bar = progressBar(`Pulling ${file}`, "bytes");
      let result;
      try {
        result = await pullModel({ url, file: target, sha256, size, onProgress: (done, total) => bar.update(done, total) });
      } finally {
        bar.stop();
      }
      try {
        await checkGgufFile(target);
      } catch (error) {
        fs.rmSync(target, { force: true });
        throw new ApiError("invalid_request", `${url} is not a usable GGUF model (${(error as Error).message}); it was deleted.`);
      }
      const spec = `local:${entry?.name ?? file}`;
      if (result.alreadyPresent) console.log(`${spec} is already pulled (${target}, checksum verified).`);
      else console.log(`Pulled ${spec} to ${target} (${megabytes(result.bytes)}${result.resumedFrom ? `, resumed from ${megabytes(result.resumedFrom)}` : ""}, SHA-256 verified).`);
      console.log(`Use it with COCANVAS_MODEL=${spec}, or choose it in Settings → Models.`);
    });

  models
    .command("list")
    .description("pulled models, the models that can be pulled, and the default model with where it comes from")
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      await withData(options, async ({ config, storage }) => {
        const registry = new ModelRegistry({ config, storage });
        const dir = modelsDir(config.dataDir);
        const pulled = listPulledModels(dir);
        console.log(`Pulled models (${dir}):`);
        if (pulled.length === 0) console.log("  none — run `cocanvas models pull`");
        for (const model of pulled) console.log(`  ${model.spec.padEnd(34)} ${megabytes(model.size).padStart(8)}  ${path.basename(model.file)}`);
        console.log("Can be pulled:");
        for (const entry of catalogue) {
          const done = pulled.some((model) => model.entry?.name === entry.name);
          console.log(`  ${entry.name.padEnd(34)} ${megabytes(entry.size).padStart(8)}  ${entry.description}${done ? " (pulled)" : ""}`);
        }
        const chosen = await registry.settings.effectiveDefault(null);
        console.log(chosen ? `Default model: ${chosen.spec} (${sourceText[chosen.source]})` : "Default model: none — set COCANVAS_MODEL=provider:model or run `cocanvas models pull`");
        const providers = await registry.settings.providers();
        console.log(`Providers: ${providers.map((provider) => `${provider.name} ${provider.available ? "ready" : `(needs ${provider.missing})`}`).join(", ")}`);
      });
    });

  models
    .command("test")
    .description("run one short completion with the configured model; prints the text and tokens/s (exit code 1 if it fails)")
    .option("--model <spec>", "provider:model to test instead of the default")
    .option("--prompt <text>", "what to ask", "In one sentence: what is a shared canvas?")
    .addOption(dataDirOption())
    .action(async (options: { model?: string; prompt: string; dataDir?: string }) => {
      await withData(options, async ({ config, storage }) => {
        const registry = new ModelRegistry({ config, storage });
        try {
          const chosen = options.model ? { spec: options.model, source: "request" as const } : await registry.settings.effectiveDefault(null);
          const resolved = await registry.resolve({ override: options.model ?? null });
          console.error(`Testing ${resolved.spec} (${sourceText[chosen?.source ?? "request"]})…`);
          const trial = await runModelTrial(resolved.model, { prompt: options.prompt, onText: (text) => process.stdout.write(text) });
          process.stdout.write("\n");
          console.log(
            `${trial.outputTokens} tokens in ${(trial.totalMs / 1000).toFixed(2)} s (first token after ${(trial.firstTokenMs / 1000).toFixed(2)} s), ${trial.tokensPerSecond ?? "n/a"} tokens/s`,
          );
        } catch (error) {
          if (error instanceof ApiError) throw error;
          console.error(`cocanvas: the model failed: ${(error as Error).message}`);
          process.exitCode = 1;
        } finally {
          await registry.close();
        }
      });
    });
}

import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { ApiError, CanvasKind, CodeFile, PasswordSetBody } from "@cocanvas/protocol";
import { languageForPath } from "@cocanvas/content";
import { Accounts } from "../accounts/accounts.ts";
import { exportCanvas, writeInitialContent } from "../canvases/canvas-content.ts";
import { exportWorkspace, importWorkspace } from "../canvases/workspace-transfer.ts";
import { storedDocuments } from "../collab/live-documents.ts";
import { newSecret } from "../ids.ts";
import { ConfigError, loadConfig, settings } from "../config.ts";
import { startServer, version } from "../server.ts";
import { openSqliteStorage } from "../storage/sqlite-storage.ts";
import { backupDataDir, restoreDataDir, unreadableSecrets } from "./backup.ts";
import { addDataCommands } from "./data-commands.ts";
import { addExportCommands } from "./export-commands.ts";
import { addModelCommands } from "./models-commands.ts";
import { addTaskCommands } from "./task-commands.ts";
import { progressBar } from "./progress.ts";
import { clearServerPid, writeServerPid } from "./server-pid.ts";

const program = new Command("cocanvas").description("Cocanvas: people and AI agents creating together, live.").version(version);
const dataDirOption = () => new Option("--data-dir <dir>", `data folder (env ${settings.dataDir.env}, default ${settings.dataDir.default})`);

function open(options: { dataDir?: string }) {
  const config = loadConfig(options.dataDir ? { dataDir: options.dataDir } : {});
  const storage = openSqliteStorage(config.dataDir);
  const accounts = new Accounts(storage, { allowSignupDefault: config.allowSignup, sessionDays: config.sessionDays });
  return { config, storage, accounts, documents: storedDocuments(storage.documents) };
}

/** Opens the data folder for one command and closes it (committing its writes) however the command ends. */
async function withData(options: { dataDir?: string }, work: (data: ReturnType<typeof open>) => Promise<void>): Promise<void> {
  const data = open(options);
  try {
    await work(data);
  } finally {
    await data.storage.close();
  }
}

async function userByEmail(storage: ReturnType<typeof open>["storage"], email: string) {
  const user = await storage.getUserByEmail(email.trim().toLowerCase());
  if (!user) throw new ApiError("not_found", `No account has the email ${email}.`);
  return user;
}

program
  .command("serve")
  .description("serve the web app, API and live channel")
  .addOption(new Option("-p, --port <port>", `port (env ${settings.port.env}, default ${settings.port.default})`).argParser(Number))
  .addOption(new Option("--host <host>", `interface (env ${settings.host.env}, default ${settings.host.default})`))
  .addOption(dataDirOption())
  .action(async (options: { port?: number; host?: string; dataDir?: string }) => {
    const server = await startServer({ port: options.port, host: options.host, dataDir: options.dataDir });
    writeServerPid(server.config.dataDir);
    console.log(`Cocanvas is serving at ${server.url} (data in ${server.config.dataDir})`);
    const stop = async () => {
      await server.close();
      clearServerPid(server.config.dataDir);
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

const user = program.command("user").description("accounts");
user
  .command("create")
  .description("create an account (works even when sign-up is turned off)")
  .requiredOption("--email <email>")
  .requiredOption("--password <password>")
  .option("--name <name>")
  .option("--admin", "make the account an admin")
  .addOption(dataDirOption())
  .action(async (options: { email: string; password: string; name?: string; admin?: boolean; dataDir?: string }) => {
    await withData(options, async ({ accounts }) => {
      const parsed = { email: options.email.trim().toLowerCase(), password: options.password };
      if (parsed.password.length < 8) throw new ApiError("invalid_request", "Passwords have at least 8 characters.");
      const created = await accounts.createUser({ ...parsed, name: options.name, admin: options.admin }, true);
      console.log(`Created ${created.email} (${created.id})${created.isAdmin ? ", admin" : ""}`);
    });
  });
user
  .command("list")
  .description("list accounts")
  .addOption(dataDirOption())
  .action(async (options: { dataDir?: string }) => {
    await withData(options, async ({ storage }) => {
      for (const row of await storage.listUsers()) {
        console.log(`${row.id}  ${row.email}  ${row.name}${row.isAdmin ? "  (admin)" : ""}${row.disabledAt ? "  (disabled)" : ""}`);
      }
    });
  });

user
  .command("reset-password")
  .description("set a new password for an account and end its sessions; without --password, one is made up and printed")
  .requiredOption("--email <email>")
  .option("--password <password>")
  .addOption(dataDirOption())
  .action(async (options: { email: string; password?: string; dataDir?: string }) => {
    await withData(options, async ({ storage, accounts }) => {
      const account = await userByEmail(storage, options.email);
      const password = options.password ?? newSecret().slice(0, 20);
      const parsed = PasswordSetBody.safeParse({ password });
      if (!parsed.success) throw new ApiError("invalid_request", `--password: ${parsed.error.issues[0]!.message}`);
      await accounts.setPassword(account.id, parsed.data.password);
      console.log(`New password set for ${account.email}; their sessions ended.`);
      if (!options.password) console.log(password);
    });
  });
for (const [name, disabled] of [["disable", true], ["enable", false]] as const) {
  user
    .command(name)
    .description(disabled ? "disable an account: sign-in refused, sessions and API tokens stop working" : "enable a disabled account")
    .requiredOption("--email <email>")
    .addOption(dataDirOption())
    .action(async (options: { email: string; dataDir?: string }) => {
      await withData(options, async ({ storage, accounts }) => {
        const account = await userByEmail(storage, options.email);
        await accounts.setDisabled(account.id, disabled);
        console.log(`${account.email} is ${disabled ? "disabled" : "enabled"}.`);
      });
    });
}
user
  .command("delete")
  .description("delete an account (workspaces only it belongs to go with it)")
  .requiredOption("--email <email>")
  .addOption(dataDirOption())
  .action(async (options: { email: string; dataDir?: string }) => {
    await withData(options, async ({ storage, accounts }) => {
      const account = await userByEmail(storage, options.email);
      const workspaces = await accounts.deleteUser(account.id);
      console.log(`Deleted ${account.email}${workspaces.length ? ` and ${workspaces.length} workspace(s) only they belonged to` : ""}.`);
    });
  });

program
  .command("token")
  .description("API tokens")
  .command("create")
  .description("create an API token; prints it alone on the last line")
  .requiredOption("--email <email>", "whose token")
  .option("--name <name>", "what the token is for", "CLI token")
  .addOption(dataDirOption())
  .action(async (options: { email: string; name: string; dataDir?: string }) => {
    await withData(options, async ({ storage, accounts }) => {
      const owner = await userByEmail(storage, options.email);
      const token = await accounts.createApiToken(owner.id, options.name);
      console.log(`API token "${token.name}" for ${owner.email} (shown only once):`);
      console.log(token.token);
    });
  });

const canvas = program.command("canvas").description("canvases");
canvas
  .command("list")
  .description("list canvases of every workspace (or one)")
  .option("--workspace <id>")
  .addOption(dataDirOption())
  .action(async (options: { workspace?: string; dataDir?: string }) => {
    await withData(options, async ({ storage }) => {
      const workspaces = options.workspace ? [await storage.getWorkspace(options.workspace)] : await storage.listAllWorkspaces();
      for (const workspace of workspaces) {
        if (!workspace) throw new ApiError("not_found", `No workspace ${options.workspace}.`);
        for (const row of await storage.listCanvases(workspace.id)) console.log(`${row.id}  ${row.kind.padEnd(4)}  ${workspace.name} / ${row.title}`);
      }
    });
  });
canvas
  .command("export <id>")
  .description("export a canvas: Markdown (doc) or JSON files (code)")
  .option("--format <format>", "md (doc), json or text (code)")
  .option("--file <path>", "with --format text: which file")
  .option("-o, --out <file>", "write to a file instead of standard output")
  .addOption(dataDirOption())
  .action(async (id: string, options: { format?: string; file?: string; out?: string; dataDir?: string }) => {
    await withData(options, async ({ storage, documents }) => {
      const row = await storage.getCanvas(id);
      if (!row) throw new ApiError("not_found", `No canvas ${id}.`);
      const exported = exportCanvas(row, documents.currentState(row.id), options.format ?? (row.kind === "doc" ? "md" : "json"), options.file);
      if (options.out) fs.writeFileSync(options.out, exported.body);
      else process.stdout.write(exported.body.endsWith("\n") ? exported.body : `${exported.body}\n`);
    });
  });
canvas
  .command("import <files...>")
  .description("import a Markdown file as a doc canvas, or source files as a code canvas")
  .requiredOption("--workspace <id>")
  .option("--title <title>")
  .addOption(new Option("--kind <kind>", "doc or code (default: doc for one .md file, else code)").choices(CanvasKind.options))
  .addOption(dataDirOption())
  .action(async (files: string[], options: { workspace: string; title?: string; kind?: "doc" | "code"; dataDir?: string }) => {
    await withData(options, async ({ storage, documents }) => {
      const workspace = await storage.getWorkspace(options.workspace);
      if (!workspace) throw new ApiError("not_found", `No workspace ${options.workspace}.`);
      const kind = options.kind ?? (files.length === 1 && /\.(md|markdown)$/i.test(files[0]!) ? "doc" : "code");
      const title = options.title ?? path.basename(files[0]!).replace(/\.(md|markdown)$/i, "");
      const row = await storage.createCanvas({ workspaceId: workspace.id, title, kind, createdBy: null });
      if (kind === "doc") {
        await writeInitialContent(documents, row, { markdown: fs.readFileSync(files[0]!, "utf8") });
      } else {
        const codeFiles = files.map((file) => CodeFile.parse({ path: path.basename(file), language: languageForPath(file), content: fs.readFileSync(file, "utf8") }));
        await writeInitialContent(documents, row, { files: codeFiles });
      }
      console.log(`Imported ${kind} canvas "${title}"`);
      console.log(row.id);
    });
  });

const workspace = program.command("workspace").description("workspaces");
workspace
  .command("export <id>")
  .description("export a whole workspace as JSON")
  .option("-o, --out <file>")
  .addOption(dataDirOption())
  .action(async (id: string, options: { out?: string; dataDir?: string }) => {
    await withData(options, async ({ storage, documents }) => {
      const row = await storage.getWorkspace(id);
      if (!row) throw new ApiError("not_found", `No workspace ${id}.`);
      const body = JSON.stringify(await exportWorkspace(storage, documents, row), null, 2);
      if (options.out) fs.writeFileSync(options.out, body);
      else console.log(body);
    });
  });
workspace
  .command("import <file>")
  .description("import a workspace export as a new workspace")
  .requiredOption("--owner <email>")
  .addOption(dataDirOption())
  .action(async (file: string, options: { owner: string; dataDir?: string }) => {
    await withData(options, async ({ storage }) => {
      const owner = await userByEmail(storage, options.owner);
      let data: unknown;
      try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (error) {
        throw new ApiError("invalid_request", `${file} is not JSON: ${(error as Error).message}`);
      }
      const row = await importWorkspace(storage, data, owner.id);
      console.log(`Imported workspace "${row.name}"`);
      console.log(row.id);
    });
  });

program
  .command("backup <file>")
  .description("copy the whole database to a file; safe while the server runs")
  .addOption(dataDirOption())
  .action(async (file: string, options: { dataDir?: string }) => {
    await withData(options, async ({ config, storage }) => {
      const bar = progressBar("Backing up");
      await backupDataDir(storage, file, (done, total) => bar.update(done, total));
      bar.stop();
      console.log(`Backed up ${config.dataDir} to ${path.resolve(file)}`);
      const keyFile = path.join(config.dataDir, "secret.key");
      if (fs.existsSync(keyFile)) {
        console.log(`Provider keys in it are encrypted with ${keyFile}: keep a copy of that file, apart from the backup, to restore them.`);
      }
    });
  });

program
  .command("restore <file>")
  .description("replace the data folder's database with a backup (stop the server first)")
  .addOption(dataDirOption())
  .action(async (file: string, options: { dataDir?: string }) => {
    const config = loadConfig(options.dataDir ? { dataDir: options.dataDir } : {});
    const bar = progressBar("Restoring");
    await restoreDataDir(config.dataDir, file, (done, total) => bar.update(done, total));
    bar.stop();
    console.log(`Restored ${config.dataDir} from ${path.resolve(file)}`);
    const unreadable = unreadableSecrets(config.dataDir);
    if (unreadable.names.length) {
      console.error(
        `Warning: ${unreadable.names.join(", ")} cannot be decrypted with ${unreadable.keyFile} (missing, or from another data folder). ` +
          "Copy secret.key from the data folder the backup came from, or set those keys again in Settings → Models; everything else works.",
      );
    }
  });

addModelCommands(program, { dataDirOption, withData });
addExportCommands(program, { dataDirOption, withData });
addDataCommands(program, { dataDirOption, withData });
addTaskCommands(program, { dataDirOption, withData });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ApiError || error instanceof ConfigError) {
    console.error(`cocanvas: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

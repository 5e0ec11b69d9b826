import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { WebSocketServer } from "ws";
import { Accounts } from "./accounts/accounts.ts";
import { AgentDirectory } from "./agents/agent-directory.ts";
import { answerAgentMentions } from "./agents/mentions.ts";
import { CoEditor } from "./ai/co-editor.ts";
import { watchSuggestions } from "./ai/suggestion-watch.ts";
import { Comments } from "./comments/comments.ts";
import { Access } from "./access.ts";
import { Versions } from "./canvases/versions.ts";
import { createCollabServer } from "./collab/collab-server.ts";
import { loadConfig, type Config } from "./config.ts";
import { createApp } from "./http/app.ts";
import { createLogger } from "./logger.ts";
import { Mailer } from "./mail/mailer.ts";
import { Memory, type MemoryOptions } from "./memory/memory.ts";
import { ModelRegistry } from "./models/model-registry.ts";
import type { ModelResolver } from "./models/model-resolver.ts";
import { ModelSettings } from "./models/model-settings.ts";
import type { Services } from "./services.ts";
import { openSqliteStorage } from "./storage/sqlite-storage.ts";
import type { Storage } from "./storage/storage.ts";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const version: string = JSON.parse(fs.readFileSync(path.join(packageRoot, "..", "..", "package.json"), "utf8")).version ?? "0.0.0";
const defaultWebDir = path.resolve(packageRoot, "..", "web", "dist");

export interface RunningServer {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  config: Config;
  storage: Storage;
  /** How many canvas documents are loaded in memory (someone has them open). */
  loadedDocumentCount(): number;
  close(): Promise<void>;
}

/**
 * Starts Cocanvas: HTTP API, web app and the live channel on one port.
 * @example const server = await startServer({ port: 0, dataDir: "/tmp/cocanvas" });
 */
export async function startServer(
  options: Partial<Config> & { webDir?: string | null; models?: ModelResolver; memory?: Pick<MemoryOptions, "minIntervalMs" | "sessionQuietMs" | "maxEntries"> } = {},
): Promise<RunningServer> {
  const { webDir = fs.existsSync(path.join(defaultWebDir, "index.html")) ? defaultWebDir : null, models: modelsOption, memory: memoryOptions, ...settings } = options;
  const config = loadConfig(settings);
  const logger = createLogger(config.logLevel);
  const storage = openSqliteStorage(config.dataDir, {
    backgroundCheckpoints: true,
    onError: (error) => logger.error({ err: error }, "storage write failed; it will be retried and nothing is acknowledged until it succeeds"),
  });
  const accounts = new Accounts(storage, { allowSignupDefault: config.allowSignup, sessionDays: config.sessionDays });
  const access = new Access(storage);

  let versions: Versions | undefined;
  let memory: Memory | undefined;
  const stopWatching = new Map<string, () => void>();
  const collab = createCollabServer({
    config,
    storage,
    accounts,
    access,
    logger,
    hooks: {
      async onDocumentChanged(canvasId, document) {
        await storage.updateCanvas(canvasId, {});
        await versions!.maybeAutoVersion(canvasId, document);
      },
      async onDocumentUnloading(canvasId, document) {
        memory?.sessionEnded(canvasId, document);
        await versions!.onSessionEnd(canvasId, document);
        stopWatching.get(canvasId)?.();
        stopWatching.delete(canvasId);
      },
      onDocumentLoaded(canvasId, document) {
        stopWatching.set(canvasId, watchSuggestions(canvasId, document, storage.ai, logger));
      },
    },
  });
  versions = new Versions(storage, collab, config.autoVersionMinutes * 60_000);
  const modelSettings = new ModelSettings(storage, config);
  const registry = modelsOption ? null : new ModelRegistry({ config, storage, logger, settings: modelSettings });
  const models = modelsOption ?? registry!;
  memory = new Memory({ storage, documents: collab, models, logger, timeoutSeconds: config.aiTimeoutSeconds, ...memoryOptions });
  const agentDirectory = new AgentDirectory(storage.agents);
  const coEditor = new CoEditor({
    models,
    memory,
    store: storage.ai,
    agents: storage.agents,
    logger,
    openDocument: collab.openDocument,
    async roleOf(userId, canvasId) {
      const canvas = await storage.getCanvas(canvasId);
      return canvas && !canvas.deletedAt ? access.canvasRole(userId, canvas) : null;
    },
    findAgent: (workspaceId, nameOrId) => agentDirectory.find(workspaceId, nameOrId),
    timeoutSeconds: config.aiTimeoutSeconds,
  });

  // @Agent mentions are looked up in the services' agent directory, read per message.
  const comments = new Comments({ storage, documents: collab, logger, agents: () => services.agentDirectory });
  const mailer = new Mailer(config, logger);
  const services: Services = {
    config,
    logger,
    mailer,
    storage,
    accounts,
    access,
    documents: collab,
    versions,
    models,
    modelSettings,
    coEditor,
    memory,
    agentDirectory,
    comments,
    closeConnections: (canvasId) => collab.closeConnections(canvasId),
    closeUserConnections: (userId) => collab.closeUserConnections(userId),
    async refreshAccess(workspaceId) {
      for (const canvas of await storage.listCanvases(workspaceId)) collab.closeConnections(canvas.id);
    },
  };
  const stopAnsweringMentions = answerAgentMentions({ comments, coEditor, agents: agentDirectory, storage, logger });
  const app = createApp(services, { webDir, version });

  const server = createAdaptorServer({ fetch: app.fetch });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: config.maxWsMessageBytes });
  server.on("upgrade", (request, socket, head) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== "/collab") {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    sockets.handleUpgrade(request, socket, head, (websocket) => collab.handleConnection(websocket, request));
  });
  sockets.on("error", (error) => logger.warn({ err: error }, "websocket server error"));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, dataDir: config.dataDir, web: webDir ? "on" : "off (run npm run build)" }, "Cocanvas is serving");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    storage,
    loadedDocumentCount: () => collab.hocuspocus.getDocumentsCount(),
    close: () =>
      (closing ??= (async () => {
        stopAnsweringMentions();
        await coEditor.stopAll();
        await memory!.close();
        for (const client of sockets.clients) client.terminate();
        await collab.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        (server as import("node:http").Server).closeAllConnections();
        await closed;
        await registry?.close();
        mailer.close();
        await storage.close();
      })()),
  };
}

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
import type { HeldFrames } from "./collab/live-socket.ts";
import { loadConfig, type Config } from "./config.ts";
import { sqlLimitsFrom, WorkspaceData } from "./data/index.ts";
import { createApp } from "./http/app.ts";
import { createLogger } from "./logger.ts";
import { Mailer } from "./mail/mailer.ts";
import { Memory, type MemoryOptions } from "./memory/memory.ts";
import { LiveEvents } from "./events/live-events.ts";
import { Notifications, notifyMentionedPeople, Webhooks, type WebhookOptions } from "./notifications/index.ts";
import { ModelRegistry } from "./models/model-registry.ts";
import type { ModelResolver } from "./models/model-resolver.ts";
import { ModelSettings } from "./models/model-settings.ts";
import { Scheduler } from "./scheduler/scheduler.ts";
import { systemClock, type Clock } from "./scheduler/clock.ts";
import type { Services } from "./services.ts";
import { TaskRunner, Tasks, type TaskEvents } from "./tasks/index.ts";
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
  /** The scheduler of due jobs (tests wait for it to be idle; benchmarks read its timer). */
  scheduler: Scheduler;
  /** How many canvas documents are loaded in memory (someone has them open). */
  loadedDocumentCount(): number;
  /** Frames the live channel holds for documents not open yet (its own accounting; see `heldLimits`). */
  heldFrames(): HeldFrames;
  close(): Promise<void>;
}

/**
 * Starts Cocanvas: HTTP API, web app and the live channel on one port.
 * @example const server = await startServer({ port: 0, dataDir: "/tmp/cocanvas" });
 */
export async function startServer(
  options: Partial<Config> & {
    webDir?: string | null;
    models?: ModelResolver;
    memory?: Pick<MemoryOptions, "minIntervalMs" | "sessionQuietMs" | "maxEntries">;
    /** Webhook retry timing in milliseconds (tests); the configuration's seconds otherwise. */
    webhooks?: Partial<Pick<WebhookOptions, "baseDelayMs" | "maxDelayMs" | "timeoutMs" | "now">>;
    /** The scheduler's time (tests run a simulated month with a manual clock). */
    clock?: Clock;
    /** Listeners of task runs (tests); the notification inbox is told as well. */
    taskEvents?: TaskEvents;
  } = {},
): Promise<RunningServer> {
  const {
    webDir = fs.existsSync(path.join(defaultWebDir, "index.html")) ? defaultWebDir : null,
    models: modelsOption,
    memory: memoryOptions,
    webhooks: webhookOptions,
    clock = systemClock,
    taskEvents = {},
    ...settings
  } = options;
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
  const sealedKeys = await modelSettings.sealStoredKeys();
  if (sealedKeys) logger.info({ count: sealedKeys }, "provider keys saved before encryption are now encrypted");
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
    chainBudget: { maxRuns: config.chainMaxRuns, maxTokens: config.chainMaxTokens, maxSeconds: config.chainMaxSeconds },
  });

  // @Agent mentions are looked up in the services' agent directory, read per message.
  const comments = new Comments({ storage, documents: collab, logger, agents: () => services.agentDirectory });
  const mailer = new Mailer(config, logger);
  const workspaceData = new WorkspaceData({ dataDir: config.dataDir, limits: sqlLimitsFrom(config) });
  const events = new LiveEvents({ logger, membersOf: async (workspaceId) => (await storage.listMembers(workspaceId)).map((member) => member.userId) });
  const webhooks = new Webhooks(
    { store: storage.notifications, logger, isMember: async (userId, workspaceId) => (await storage.getMemberRole(workspaceId, userId)) !== null },
    {
      maxAttempts: Math.max(1, config.webhookMaxAttempts),
      baseDelayMs: config.webhookRetrySeconds * 1000,
      maxDelayMs: 3_600_000,
      timeoutMs: Math.max(1, config.webhookTimeoutSeconds) * 1000,
      allowPrivateAddresses: config.webhookAllowPrivate,
      ...webhookOptions,
    },
  );
  const notifications = new Notifications({ store: storage.notifications, storage, events, mailer, webhooks, logger, publicUrl: config.publicUrl });
  const scheduler = new Scheduler({
    store: storage.jobs,
    clock,
    logger,
    concurrency: config.taskConcurrency,
    groupConcurrency: config.taskWorkspaceConcurrency,
    pollMs: config.schedulerPollSeconds * 1000,
    takeOverLeases: true,
  });
  const tasks = new Tasks({
    storage,
    access,
    agents: agentDirectory,
    scheduler,
    clock,
    logger,
    minIntervalSeconds: config.taskMinIntervalSeconds,
    retryDelayMs: config.taskRetrySeconds * 1000,
    runner: new TaskRunner({ storage, access, documents: collab, coEditor, agents: agentDirectory, openDocument: collab.openDocument, now: () => new Date(clock.now()) }),
    // The task's owner hears of a run that kept output or failed, and of a task the server paused.
    async onRunFinished(task, run, changed) {
      await taskEvents.onRunFinished?.(task, run, changed);
      if (run.status !== "failed" && !run.kept) return;
      await notifications.notify({
        userId: task.ownerId,
        workspaceId: task.workspaceId,
        kind: "task-run",
        title: run.status === "failed" ? `Task “${task.name}” failed` : `Task “${task.name}” ran`,
        body: run.status === "failed" ? (run.error ?? undefined) : undefined,
        link: run.canvasId ? `/c/${run.canvasId}` : undefined,
        taskId: task.id,
        runId: run.id,
      });
    },
    async onTaskPaused(task, reason) {
      await taskEvents.onTaskPaused?.(task, reason);
      await notifications.notify({ userId: task.ownerId, workspaceId: task.workspaceId, kind: "task-paused", title: `Task “${task.name}” was paused`, body: reason, taskId: task.id });
    },
  });
  const services: Services = {
    config,
    logger,
    mailer,
    workspaceData,
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
    events,
    notifications,
    tasks,
    closeConnections: collab.closeConnections,
    async refreshAccess(workspaceId, userId) {
      await collab.refreshAccess(workspaceId, userId);
      // A person who left the workspace has their tasks there paused at once, with the reason.
      await tasks.pauseTasksOfFormerMembers(workspaceId);
    },
    refreshCanvasAccess: collab.refreshCanvasAccess,
    closeRevokedConnections: collab.closeRevokedConnections,
    closeUserConnections: collab.closeUserConnections,
  };
  const stopAnsweringMentions = answerAgentMentions({ comments, coEditor, agents: agentDirectory, storage, logger });
  const stopNotifyingMentions = notifyMentionedPeople(comments, notifications);
  webhooks.start();
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
  await scheduler.start();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, dataDir: config.dataDir, web: webDir ? "on" : "off (run npm run build)" }, "Cocanvas is serving");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    storage,
    scheduler,
    loadedDocumentCount: () => collab.hocuspocus.getDocumentsCount(),
    heldFrames: collab.heldFrames,
    close: () =>
      (closing ??= (async () => {
        stopAnsweringMentions();
        tasks.closing();
        stopNotifyingMentions();
        await webhooks.stop();
        events.closeAll();
        await coEditor.stopAll();
        await scheduler.stop();
        await memory!.close();
        for (const client of sockets.clients) client.terminate();
        await collab.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        (server as import("node:http").Server).closeAllConnections();
        await closed;
        await registry?.close();
        mailer.close();
        await workspaceData.close();
        await storage.close();
      })()),
  };
}

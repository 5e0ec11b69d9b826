import fs from "node:fs";
import path from "node:path";
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { serveStatic } from "@hono/node-server/serve-static";
import { ApiError } from "@cocanvas/protocol";
import type { Services } from "../services.ts";
import { ApiRouter, type AppEnv } from "./api-router.ts";
import { addAccountRoutes } from "./account-routes.ts";
import { addAuthRoutes } from "./auth-routes.ts";
import { addAgentRoutes } from "./agent-routes.ts";
import { addAiRoutes } from "./ai-routes.ts";
import { addCanvasRoutes } from "./canvas-routes.ts";
import { addFeedbackExportRoutes } from "./feedback-export-routes.ts";
import { addCommentRoutes } from "./comment-routes.ts";
import { addDataRoutes } from "./data-routes.ts";
import { addEventRoutes } from "./event-routes.ts";
import { addNotificationRoutes } from "./notification-routes.ts";
import { apiContentSecurityPolicy, appContentSecurityPolicy } from "./content-security-policy.ts";
import { sessionCookie } from "./cookies.ts";
import { addInvitationRoutes } from "./invitation-routes.ts";
import { addMemoryRoutes } from "./memory-routes.ts";
import { addModelRoutes } from "./model-routes.ts";
import { addTaskRoutes } from "./task-routes.ts";
import { addShareRoutes } from "./share-routes.ts";
import { addWorkspaceRoutes } from "./workspace-routes.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The HTTP app: JSON API under /api and the built web app for every other path. */
export function createApp(services: Services, options: { webDir: string | null; version: string }) {
  const { accounts, config, logger } = services;
  const app = new Hono<AppEnv>();

  app.use("*", async (context, next) => {
    await next();
    context.header("X-Content-Type-Options", "nosniff");
    context.header("Referrer-Policy", "same-origin");
    context.header("X-Frame-Options", "DENY");
    if (!context.res.headers.has("Content-Security-Policy")) {
      context.header("Content-Security-Policy", context.req.path.startsWith("/api/") ? apiContentSecurityPolicy : appContentSecurityPolicy);
    }
  });

  // Uploads may be as large as COCANVAS_MAX_UPLOAD_BYTES (plus multipart framing); every
  // other body is limited to COCANVAS_MAX_BODY_BYTES, whether or not it declares its length.
  const tooLarge = (limit: number) => () => {
    throw new ApiError("payload_too_large", `The request body is larger than ${limit} bytes.`);
  };
  const uploadLimit = bodyLimit({ maxSize: config.maxUploadBytes + 64 * 1024, onError: tooLarge(config.maxUploadBytes) });
  const jsonLimit = bodyLimit({ maxSize: config.maxBodyBytes, onError: tooLarge(config.maxBodyBytes) });
  // Data files stream to disk and are limited there, by COCANVAS_MAX_DATA_UPLOAD_BYTES.
  const dataUpload = (context: { req: { method: string; path: string } }) => context.req.method === "PUT" && /^\/api\/workspaces\/[^/]+\/data\/[^/]+$/.test(context.req.path);
  app.use("/api/*", (context, next) => (dataUpload(context) ? next() : (/^\/api\/canvases\/[^/]+\/uploads$/.test(context.req.path) ? uploadLimit : jsonLimit)(context, next)));

  // Authentication: a bearer API token, or the session cookie (+ CSRF token on changes).
  app.use("/api/*", async (context, next) => {
    context.set("user", null);
    context.set("authKind", null);
    context.set("csrfToken", null);
    context.set("sessionToken", null);
    const authorization = context.req.header("authorization");
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const user = match ? await accounts.resolveApiToken(match[1]!) : null;
      if (!user) throw new ApiError("unauthenticated", "The API token is not valid.");
      context.set("user", user);
      context.set("authKind", "token");
      return next();
    }
    const token = getCookie(context, sessionCookie);
    const session = token ? await accounts.resolveSession(token) : null;
    if (session) {
      if (!safeMethods.has(context.req.method)) {
        const sent = context.req.header("x-csrf-token") ?? "";
        if (!sameSecret(sent, session.csrfToken)) throw new ApiError("csrf_failed", "Missing or wrong X-CSRF-Token header.");
      }
      context.set("user", session.user);
      context.set("authKind", "session");
      context.set("csrfToken", session.csrfToken);
      context.set("sessionToken", token!);
    }
    return next();
  });

  const api = new ApiRouter(app);
  api.add("get", "/api/health", { summary: "Answers 200 when the server can serve", auth: "none" }, async (context) => {
    await services.storage.getSetting("health"); // the database answers
    return context.json({ ok: true, version: options.version });
  });
  addAuthRoutes(api, services);
  addAccountRoutes(api, services);
  addWorkspaceRoutes(api, services);
  addCanvasRoutes(api, services);
  addShareRoutes(api, services);
  addInvitationRoutes(api, services);
  addModelRoutes(api, services);
  addAiRoutes(api, services);
  addMemoryRoutes(api, services);
  addFeedbackExportRoutes(api, services);
  addCommentRoutes(api, services);
  addAgentRoutes(api, services);
  addDataRoutes(api, services);
  addNotificationRoutes(api, services);
  addEventRoutes(api, services);
  addTaskRoutes(api, services);
  const openApi = api.openApi({ version: options.version });
  app.get("/api/openapi.json", (context) => context.json(openApi));
  app.all("/api/*", () => {
    throw new ApiError("not_found", "No such API route.");
  });

  if (options.webDir) {
    const root = path.relative(process.cwd(), options.webDir) || ".";
    const indexHtml = fs.readFileSync(path.join(options.webDir, "index.html"), "utf8");
    app.use("/assets/*", serveStatic({ root }));
    app.use("*", serveStatic({ root }));
    // Single-page app: every other path renders the app shell.
    app.get("*", (context) => context.html(indexHtml));
  } else {
    app.get("/", (context) => context.text("Cocanvas API is running. Build the web app with `npm run build` to serve it here."));
  }

  app.onError((error, context) => {
    if (error instanceof ApiError) return context.json(error.toBody(), error.status as 400);
    logger.error({ err: error, path: context.req.path }, "request failed");
    return context.json(new ApiError("internal_error", "Something went wrong on the server; see its log.").toBody(), 500);
  });

  return app;
}

import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { CloseCode, type Role } from "@cocanvas/protocol";
import { credentialOf, type Accounts, type Credential } from "../accounts/accounts.ts";
import type { Access } from "../access.ts";
import type { Config } from "../config.ts";
import type { Storage } from "../storage/storage.ts";
import { parseCookies, sessionCookie } from "../http/cookies.ts";
import type { Close, LiveDocument, LiveSocket } from "./live-socket.ts";

/** What the server knows about each live connection (Hocuspocus `context`). */
export interface ConnectionContext {
  userId: string;
  name: string;
  role: Role;
  workspaceId: string;
  /** The API token or session it authenticated with: checked again when credentials change. */
  credential: Credential;
}

/**
 * Who may hold a live connection, checked when it authenticates and again when rights
 * change (decision 0014): every way the server ends connections closes whole sockets, and
 * only those whose credential or role is affected.
 */
export function createLiveAccess(deps: { config: Config; storage: Storage; accounts: Accounts; access: Access; sockets: ReadonlySet<LiveSocket<ConnectionContext>> }) {
  const { config, storage, accounts, access, sockets } = deps;
  /** Counts changes of rights; an authentication that saw one happen while it looked, looks again. */
  let accessEpoch = 0;

  /** Who may open `documentName` with this token or cookie, and with which role; throws a close code. */
  async function authorise(token: string, request: IncomingMessage, documentName: string): Promise<ConnectionContext> {
    for (;;) {
      const epoch = accessEpoch;
      const identity = await identify(token, request);
      if (!identity) throw CloseCode.unauthorized;
      const canvas = await storage.getCanvas(documentName);
      const role = canvas && !canvas.deletedAt ? await access.canvasRole(identity.user.id, canvas) : null;
      if (epoch !== accessEpoch) continue; // rights changed while we looked: look again
      if (!canvas || !role) throw CloseCode.forbidden;
      return { userId: identity.user.id, name: identity.user.name, role, workspaceId: canvas.workspaceId, credential: identity.credential };
    }
  }

  async function identify(token: string, request: IncomingMessage) {
    // Scripts and bots authenticate with an API token.
    if (token && token !== "session") {
      const credential = credentialOf(token);
      const user = await accounts.userOfCredential(credential);
      if (user) return { user, credential };
    }
    // Browsers send the session cookie; refuse cross-site pages (WebSocket hijacking).
    const cookie = parseCookies(request.headers.cookie)[sessionCookie];
    if (!cookie || !sameOrigin(request)) return null;
    const credential = credentialOf(cookie);
    const user = credential.kind === "session" ? await accounts.userOfCredential(credential) : null;
    return user ? { user, credential } : null;
  }

  /**
   * Whether a browser page's Origin is this server: scheme, host and port. The scheme is
   * the one the request arrived on (or `X-Forwarded-Proto` from a proxy in front, which a
   * page cannot set on a WebSocket); `COCANVAS_PUBLIC_URL` names it outright.
   */
  function sameOrigin(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (!origin) return true; // non-browser clients send no Origin and cannot carry a victim's cookie
    try {
      if (config.publicUrl) return new URL(origin).origin === new URL(config.publicUrl).origin;
      const forwarded = request.headers["x-forwarded-proto"];
      const scheme = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim() || ((request.socket as TLSSocket).encrypted ? "https" : "http");
      return new URL(origin).origin === new URL(`${scheme}://${request.headers.host}`).origin;
    } catch {
      return false;
    }
  }

  /** Sockets with a connection (authenticated or not) that `select` picks. */
  function socketsWhere(select: (canvasId: string, document: LiveDocument<ConnectionContext>) => boolean) {
    return [...sockets].filter((live) => [...live.documents].some(([canvasId, document]) => select(canvasId, document)));
  }

  /**
   * Closes (4409) every socket with a connection to a canvas that is deleted or moved to
   * the trash; each client reconnects at once and learns it has no access any more.
   */
  function closeConnections(canvasId: string) {
    accessEpoch++;
    for (const live of socketsWhere((id) => id === canvasId)) live.close(CloseCode.accessChanged);
  }

  /** Closes (4401) every socket on which `userId` authenticated: the account is disabled or deleted. */
  function closeUserConnections(userId: string) {
    accessEpoch++;
    for (const live of socketsWhere((_, document) => document.context?.userId === userId)) live.close(CloseCode.unauthorized);
  }

  /**
   * Checks again the connections `select` picks, and closes only those whose credential is
   * gone (4401) or whose role on the canvas changed (4409). Stock providers reconnect at
   * once from a closed socket and authenticate again; everyone else is left alone.
   */
  async function recheck(select: (context: ConnectionContext, canvasId: string) => boolean): Promise<void> {
    accessEpoch++;
    const checks: Promise<void>[] = [];
    for (const live of sockets) {
      for (const [canvasId, document] of live.documents) {
        const context = document.context;
        if (!context || !select(context, canvasId)) continue;
        checks.push(
          verdictOn(canvasId, context).then((close) => {
            if (close) live.close(close);
          }),
        );
      }
    }
    await Promise.all(checks);
  }

  async function verdictOn(canvasId: string, context: ConnectionContext): Promise<Close | null> {
    const user = await accounts.userOfCredential(context.credential);
    if (!user || user.id !== context.userId || user.disabledAt) return CloseCode.unauthorized;
    const canvas = await storage.getCanvas(canvasId);
    const role = canvas && !canvas.deletedAt ? await access.canvasRole(user.id, canvas) : null;
    return role === context.role ? null : CloseCode.accessChanged;
  }

  /** After roles in a workspace changed (of `userId`, or of anyone): the connections whose role changed end. */
  const refreshAccess = (workspaceId: string, userId?: string) => recheck((context) => context.workspaceId === workspaceId && (!userId || context.userId === userId));
  /** After roles on one canvas changed (a share-link grant): the connections whose role changed end. */
  const refreshCanvasAccess = (canvasId: string, userId?: string) => recheck((context, id) => id === canvasId && (!userId || context.userId === userId));
  /** After one of a user's API tokens was deleted or a session ended: the connections it authenticated end. */
  const closeRevokedConnections = (userId: string) => recheck((context) => context.userId === userId);
  /**
   * Every connection, checked again: catches what no route of this process announced — the
   * CLI disabling an account or deleting a token in the same data folder, a session expiring.
   */
  const recheckAll = () => recheck(() => true);

  return { authorise, closeConnections, closeUserConnections, refreshAccess, refreshCanvasAccess, closeRevokedConnections, recheckAll };
}

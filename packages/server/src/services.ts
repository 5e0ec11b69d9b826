import type { Accounts } from "./accounts/accounts.ts";
import type { Access } from "./access.ts";
import type { AgentDirectory } from "./agents/agent-directory.ts";
import type { CoEditor } from "./ai/co-editor.ts";
import type { Comments } from "./comments/comments.ts";
import type { Versions } from "./canvases/versions.ts";
import type { LiveDocuments } from "./collab/live-documents.ts";
import type { Config } from "./config.ts";
import type { WorkspaceData } from "./data/index.ts";
import type { LiveEvents } from "./events/live-events.ts";
import type { Logger } from "./logger.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { Memory } from "./memory/memory.ts";
import type { Notifications } from "./notifications/notifications.ts";
import type { ModelResolver } from "./models/model-resolver.ts";
import type { ModelSettings } from "./models/model-settings.ts";
import type { Storage } from "./storage/storage.ts";
import type { Tasks } from "./tasks/index.ts";

/** Everything the HTTP routes need, wired once in server.ts. */
export interface Services {
  config: Config;
  logger: Logger;
  storage: Storage;
  accounts: Accounts;
  access: Access;
  documents: LiveDocuments;
  versions: Versions;
  /** Turns configuration into a usable model. */
  models: ModelResolver;
  /** Default models (admin, workspace) and provider credentials; keys never leave the server. */
  modelSettings: ModelSettings;
  /** Runs models on canvases (chat, targeted edits, quick actions). */
  coEditor: CoEditor;
  /** What agents remember about each person per workspace: reflection, the prompt section, the person's own edits. */
  memory: Memory;
  /** The agents a workspace can call on (built-in personas and its own). */
  agentDirectory: AgentDirectory;
  /** Comment threads on canvases (people through the API, agents directly); `onAgentMention` for @Agent. */
  comments: Comments;
  /** Scheduled agent work per workspace: create, run now, pause, history (decision 0010). */
  tasks: Tasks;
  /** Email through SMTP when `COCANVAS_SMTP_URL` is set; `mailer.configured` says whether it is. */
  mailer: Mailer;
  /** Each workspace's tables (uploaded files in its DuckDB database) and read-only queries over them. */
  workspaceData: WorkspaceData;
  /** The per-person live event stream: `publishToUser`, `publishToWorkspace` (current members only). */
  events: LiveEvents;
  /** The one notification inbox (`notify`), per-person settings and outgoing webhooks. */
  notifications: Notifications;
  /**
   * Live connections after rights change (decision 0014). Each closes whole sockets, so
   * stock providers reconnect at once and authenticate again; nobody else is touched.
   * Closes every live connection to a canvas that was deleted or moved to the trash (4409).
   */
  closeConnections(canvasId: string): void;
  /** After roles in a workspace changed (of `userId`, or anyone's): closes the connections whose role changed (4409). */
  refreshAccess(workspaceId: string, userId?: string): Promise<void>;
  /** After a share-link grant on a canvas changed: closes the connections whose role on it changed (4409). */
  refreshCanvasAccess(canvasId: string, userId?: string): Promise<void>;
  /** After a user's API token was deleted or a session logged out: closes the connections that credential authenticated (4401). */
  closeRevokedConnections(userId: string): Promise<void>;
  /** Closes every live connection of a user at once (4401): their account was disabled or deleted. */
  closeUserConnections(userId: string): void;
}

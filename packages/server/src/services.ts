import type { Accounts } from "./accounts/accounts.ts";
import type { Access } from "./access.ts";
import type { AgentDirectory } from "./agents/agent-directory.ts";
import type { CoEditor } from "./ai/co-editor.ts";
import type { Comments } from "./comments/comments.ts";
import type { Versions } from "./canvases/versions.ts";
import type { LiveDocuments } from "./collab/live-documents.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { Memory } from "./memory/memory.ts";
import type { ModelResolver } from "./models/model-resolver.ts";
import type { ModelSettings } from "./models/model-settings.ts";
import type { Storage } from "./storage/storage.ts";

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
  /** Email through SMTP when `COCANVAS_SMTP_URL` is set; `mailer.configured` says whether it is. */
  mailer: Mailer;
  /** Closes live connections to a canvas (deleted, or roles changed), so clients re-authenticate. */
  closeConnections(canvasId: string): void;
  /** Closes every live connection of one person (account disabled, deleted, or password reset). */
  closeUserConnections(userId: string): void;
  /** Makes live connections to a workspace's canvases re-authenticate after a role change. */
  refreshAccess(workspaceId: string): void;
}

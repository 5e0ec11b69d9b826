import type { CanvasKind, Role } from "@cocanvas/protocol";
import type { AccountStore } from "./account-store.ts";
import type { AgentStore } from "./agent-store.ts";
import type { AiStore } from "./ai-store.ts";
import type { FeedbackStore } from "./feedback-store.ts";
import type { JobStore } from "./job-store.ts";
import type { TaskStore } from "./task-store.ts";
import type { MemoryStore } from "./memory-store.ts";
import type { NotificationStore } from "./notification-store.ts";
import type { SharingStore } from "./sharing-store.ts";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  createdAt: string;
  /** When an admin disabled the account (it cannot sign in, its sessions and tokens stop working), or null. */
  disabledAt: string | null;
}
export interface WorkspaceRow {
  id: string;
  name: string;
  createdAt: string;
}
export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
}
export interface CanvasRow {
  id: string;
  workspaceId: string;
  title: string;
  kind: CanvasKind;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}
export interface VersionRow {
  id: string;
  canvasId: string;
  name: string | null;
  kind: "auto" | "named" | "restore";
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}
export interface UploadRow {
  id: string;
  mime: string;
  size: number;
  data: Buffer;
  createdAt: string;
}
export interface SessionRow {
  userId: string;
  csrfToken: string;
  expiresAt: string;
}
export interface TokenRow {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * The durable log of the live documents: every accepted Yjs update is appended, a
 * snapshot plus the tail after it rebuilds a document.
 *
 * Appends are grouped: `appendUpdate` buffers the update and every update appended within
 * a short window (10 ms in SQLite) is committed in one transaction (group commit).
 * Whoever must not speak before an update is durable — the acknowledgement to the client
 * that sent it — waits with `whenDurable`. Reads and compaction commit pending appends
 * first, so they always see every update appended so far.
 *
 * One process appends: the server. Others (the CLI) read, and write documents no server
 * has open as whole snapshots (`compact`).
 */
export interface DocumentLog {
  appendUpdate(doc: string, update: Uint8Array): void;
  /** Calls `callback` once every update appended so far is committed (at once if none is pending). */
  whenDurable(callback: () => void): void;
  /** Commits pending appends now. */
  flush(): void;
  /** The latest snapshot (or null) and every update logged after it, oldest first. */
  load(doc: string): { snapshot: Uint8Array | null; updates: Uint8Array[] };
  /** Updates logged for `doc` that no snapshot covers yet. */
  pendingCount(doc: string): number;
  /**
   * Replaces the snapshot with `state`, which must include every update appended up to
   * now, and deletes the updates it covers, in one transaction.
   */
  compact(doc: string, state: Uint8Array): void;
  deleteDocument(doc: string): void;
}

/**
 * Everything Cocanvas keeps. SQLite implements it today; the shape avoids SQLite-only
 * features so that a Postgres implementation can follow (see docs/decisions/0002).
 */
export interface Storage {
  readonly documents: DocumentLog;
  /** Runs, suggestions, feedback and quick actions of the co-editing runtime. */
  readonly ai: AiStore;
  /** What agents remember about each person, per workspace (never shared). */
  readonly memory: MemoryStore;
  /** Decisions and thumbs that count, for the preference-data export. */
  readonly feedback: FeedbackStore;
  /** Agents per workspace and what they did on each canvas. */
  readonly agents: AgentStore;
  /** The notification inbox, per-person settings, webhooks and their delivery log. */
  readonly notifications: NotificationStore;
  /** The scheduler's due jobs (tasks today; other capabilities add kinds). */
  readonly jobs: JobStore;
  /** Scheduled agent work per workspace and its run history. */
  readonly tasks: TaskStore;
  /** Who reaches a canvas through which link, and invitations to workspaces. */
  readonly sharing: SharingStore;
  /** Profile and password changes, disabled and deleted accounts, sessions, password resets. */
  readonly accounts: AccountStore;

  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  countUsers(): Promise<number>;
  createUser(user: Omit<UserRow, "createdAt" | "disabledAt">): Promise<UserRow>;
  getUserById(id: string): Promise<UserRow | null>;
  getUserByEmail(email: string): Promise<UserRow | null>;
  listUsers(): Promise<UserRow[]>;

  createSession(tokenHash: string, userId: string, csrfToken: string, expiresAt: string): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRow | null>;
  deleteSession(tokenHash: string): Promise<void>;

  createToken(token: { id: string; userId: string; name: string; tokenHash: string }): Promise<TokenRow>;
  getTokenUser(tokenHash: string): Promise<string | null>;
  listTokens(userId: string): Promise<TokenRow[]>;
  deleteToken(userId: string, id: string): Promise<boolean>;

  createWorkspace(name: string, ownerId: string, id?: string): Promise<WorkspaceRow>;
  getWorkspace(id: string): Promise<WorkspaceRow | null>;
  listAllWorkspaces(): Promise<WorkspaceRow[]>;
  renameWorkspace(id: string, name: string): Promise<void>;
  /** The workspace's default model (`provider:model`), or null to use the server's. */
  getWorkspaceModel(id: string): Promise<string | null>;
  setWorkspaceModel(id: string, spec: string | null): Promise<void>;
  deleteWorkspace(id: string): Promise<void>;
  listWorkspacesOf(userId: string): Promise<(WorkspaceRow & { role: Role })[]>;
  getMemberRole(workspaceId: string, userId: string): Promise<Role | null>;
  listMembers(workspaceId: string): Promise<MemberRow[]>;
  setMember(workspaceId: string, userId: string, role: Role): Promise<void>;
  removeMember(workspaceId: string, userId: string): Promise<void>;

  createCanvas(canvas: { id?: string; workspaceId: string; title: string; kind: CanvasKind; createdBy: string | null }): Promise<CanvasRow>;
  getCanvas(id: string): Promise<CanvasRow | null>;
  /** Canvases of a workspace; `trash` lists deleted ones instead; `query` matches titles. */
  listCanvases(workspaceId: string, options?: { trash?: boolean; query?: string }): Promise<CanvasRow[]>;
  /** Canvases of other workspaces that `userId` reaches through a share link. */
  listSharedCanvases(userId: string): Promise<(CanvasRow & { role: Role })[]>;
  updateCanvas(id: string, fields: { title?: string; deletedAt?: string | null; updatedAt?: string }): Promise<void>;
  deleteCanvasForever(id: string): Promise<void>;
  getCanvasGrant(canvasId: string, userId: string): Promise<Role | null>;
  /** Grants a canvas role, recording the share link it came through (revoking the link removes it). */
  setCanvasGrant(canvasId: string, userId: string, role: Exclude<Role, "owner">, shareLinkId?: string | null): Promise<void>;

  createVersion(version: Omit<VersionRow, "createdAt" | "createdByName"> & { state: Uint8Array; createdAt?: string }): Promise<VersionRow>;
  listVersions(canvasId: string): Promise<VersionRow[]>;
  getVersion(canvasId: string, id: string): Promise<(VersionRow & { state: Uint8Array }) | null>;
  latestVersion(canvasId: string): Promise<VersionRow | null>;

  /** Stores an image (if no upload has this id yet) and links it to a canvas. */
  addUpload(canvasId: string, upload: Omit<UploadRow, "createdAt"> & { createdBy: string | null }): Promise<void>;
  getUpload(id: string): Promise<UploadRow | null>;
  /** Canvases that show the upload. */
  uploadCanvases(id: string): Promise<string[]>;
  listUploads(canvasId: string): Promise<UploadRow[]>;

  /** Copies the database to `file` while it stays in use. */
  backup(file: string, progress?: (done: number, total: number) => void): Promise<void>;
  /** Commits pending appends and closes. */
  close(): Promise<void>;
}

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Role } from "@cocanvas/protocol";
import { hashSecret, newId } from "../ids.ts";
import type { AccountStore } from "./account-store.ts";
import type { AgentStore } from "./agent-store.ts";
import type { AiStore } from "./ai-store.ts";
import type { FeedbackStore } from "./feedback-store.ts";
import type { MemoryStore } from "./memory-store.ts";
import { migrations } from "./migrations.ts";
import { privateFile, privateFolder } from "./private-files.ts";
import { SqliteAccountStore } from "./sqlite-account-store.ts";
import { SqliteAgentStore } from "./sqlite-agent-store.ts";
import { SqliteAiStore } from "./sqlite-ai-store.ts";
import { SqliteFeedbackStore } from "./sqlite-feedback-store.ts";
import { SqliteJobStore } from "./sqlite-job-store.ts";
import { SqliteTaskStore } from "./sqlite-task-store.ts";
import type { JobStore } from "./job-store.ts";
import type { TaskStore } from "./task-store.ts";
import { SqliteMemoryStore } from "./sqlite-memory-store.ts";
import { SqliteNotificationStore } from "./sqlite-notification-store.ts";
import type { NotificationStore } from "./notification-store.ts";
import { SqliteSharingStore } from "./sqlite-sharing-store.ts";
import type { SharingStore } from "./sharing-store.ts";
import { startWalCheckpointer } from "./wal-checkpointer.ts";
import type { CanvasRow, DocumentLog, Storage, UploadRow, UserRow, VersionRow, WorkspaceRow } from "./storage.ts";

const now = () => new Date().toISOString();

export interface SqliteOptions {
  /** Checkpoint the WAL from a worker thread instead of inside commits (for the server). */
  backgroundCheckpoints?: boolean;
  /** Told when a commit or checkpoint fails (the work is retried). */
  onError?: (error: unknown) => void;
}

/** Opens (creating if needed) the SQLite database in `dataDir` and runs pending migrations. */
export function openSqliteStorage(dataDir: string, options: SqliteOptions = {}): Storage {
  privateFolder(dataDir);
  // The database and its -wal/-shm are private to the account running Cocanvas (0600).
  const file = path.join(dataDir, "cocanvas.db");
  for (const name of [file, `${file}-wal`, `${file}-shm`]) if (name === file || fs.existsSync(name)) privateFile(name);
  return new SqliteStorage(file, options);
}

/**
 * Applies migrations that have not run yet; returns how many ran. Each one reads the
 * schema version and applies the next migration under the write lock (BEGIN IMMEDIATE):
 * processes opening a new data folder at once (a server and CLI commands) wait for each
 * other instead of both creating the same tables.
 */
export function migrate(db: Database.Database): number {
  // Used by the migration that hashes share tokens kept in plain text before.
  db.function("cocanvas_sha256", { deterministic: true }, (value) => hashSecret(String(value)));
  const next = db.transaction(() => {
    const applied = db.pragma("user_version", { simple: true }) as number;
    if (applied >= migrations.length) return false;
    db.exec(migrations[applied]!);
    db.pragma(`user_version = ${applied + 1}`);
    return true;
  });
  let ran = 0;
  while (next.immediate()) ran++;
  return ran;
}

const userFrom = (row: any): UserRow => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  isAdmin: row.is_admin === 1,
  createdAt: row.created_at,
  disabledAt: row.disabled_at ?? null,
});
const canvasFrom = (row: any): CanvasRow => ({
  id: row.id,
  workspaceId: row.workspace_id,
  title: row.title,
  kind: row.kind,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
});
const versionFrom = (row: any): VersionRow => ({
  id: row.id,
  canvasId: row.canvas_id,
  name: row.name,
  kind: row.kind,
  createdBy: row.created_by,
  createdByName: row.created_by_name ?? null,
  createdAt: row.created_at,
});
const uploadFrom = (row: any): UploadRow => ({
  id: row.id,
  mime: row.mime,
  size: row.size,
  data: row.data,
  createdAt: row.created_at,
});

/**
 * Appends are committed together at most this long after the first of them (or at once
 * when `maxBatch` are pending). A commit costs about as much as a few dozen inserts (it
 * writes whole pages to the WAL), so grouping is what keeps per-update CPU low; only
 * acknowledgements wait for it, never broadcasts to other clients.
 */
const batchWindowMs = 10;
const maxBatch = 512;

/** A document's list of rows in `logged`, created empty on first use. */
function rowsIn(logged: Map<number, number[]>, doc: number): number[] {
  let rows = logged.get(doc);
  if (!rows) logged.set(doc, (rows = []));
  return rows;
}

/**
 * The document log: an append-only rowid table with no index on `doc`, so a group commit
 * writes the table's last page or two however many documents it touches. Which rows
 * belong to which document is kept in memory (read from the table on first use, then
 * updated by every append and compaction), so loading and compacting a document reads
 * and deletes its rows by rowid. Only one process appends (the server); another one (the
 * CLI) writes whole snapshots of documents no server has open (`compact`) and sees the
 * rows that were logged when it first read the log.
 */
class SqliteDocumentLog implements DocumentLog {
  private readonly insertBatch;
  private readonly ids = new Map<string, number>();
  /** Each document's logged rows (seq), oldest first; read from the table on first use. */
  private loggedRows: Map<number, number[]> | null = null;
  private readonly statements;
  private pending: [number, Uint8Array][] = [];
  private waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Database.Database,
    private readonly onCommitError: (error: unknown) => void,
  ) {
    this.statements = {
      findId: db.prepare("SELECT id FROM documents WHERE name = ?").pluck(),
      createId: db.prepare("INSERT INTO documents (name) VALUES (?) ON CONFLICT(name) DO NOTHING"),
      insert: db.prepare("INSERT INTO doc_updates (doc, data) VALUES (?, ?)"),
      snapshot: db.prepare("SELECT data FROM doc_snapshots WHERE doc = ?").pluck(),
      update: db.prepare("SELECT data FROM doc_updates WHERE seq = ?").pluck(),
      upsertSnapshot: db.prepare(
        "INSERT INTO doc_snapshots (doc, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
      ),
      deleteUpdate: db.prepare("DELETE FROM doc_updates WHERE seq = ?"),
      deleteSnapshot: db.prepare("DELETE FROM doc_snapshots WHERE doc = ?"),
      deleteId: db.prepare("DELETE FROM documents WHERE id = ?"),
    };
    const insert = this.statements.insert;
    this.insertBatch = db.transaction((batch: [number, Uint8Array][]) =>
      batch.map(([doc, update]) => insert.run(doc, update).lastInsertRowid as number),
    );
  }

  /**
   * Which rows belong to which document. Read once, when a document is first appended to,
   * loaded or compacted (a crash leaves rows behind; a CLI command that never touches a
   * document never scans the log).
   */
  private get logged(): Map<number, number[]> {
    if (!this.loggedRows) {
      const logged = new Map<number, number[]>();
      const rows = this.db.prepare("SELECT seq, doc FROM doc_updates ORDER BY seq").raw().iterate() as Iterable<[number, number]>;
      for (const [seq, doc] of rows) rowsIn(logged, doc).push(seq);
      this.loggedRows = logged;
    }
    return this.loggedRows;
  }

  /** The document's integer id, created on first use. */
  private idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.statements.findId.get(name) as number | undefined;
      if (id === undefined) {
        this.statements.createId.run(name);
        id = this.statements.findId.get(name) as number;
      }
      this.ids.set(name, id);
    }
    return id;
  }

  appendUpdate(doc: string, update: Uint8Array): void {
    this.pending.push([this.idOf(doc), update]);
    if (this.pending.length >= maxBatch) this.flush();
    else this.schedule(batchWindowMs);
  }

  whenDurable(callback: () => void): void {
    if (this.pending.length === 0) callback();
    else this.waiting.push(callback);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    const logged = this.logged; // read what the table held before this batch joins it
    let seqs: number[];
    try {
      seqs = this.insertBatch(batch);
    } catch (error) {
      // Nothing in the batch is acknowledged; keep it and try again shortly.
      this.onCommitError(error);
      this.schedule(1000);
      return;
    }
    batch.forEach(([doc], i) => rowsIn(logged, doc).push(seqs[i]!));
    this.pending = [];
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
  }

  private schedule(delay: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flush();
    }, delay).unref();
  }

  load(doc: string) {
    this.flush();
    const id = this.idOf(doc);
    const rows = this.logged.get(id) ?? [];
    // One read transaction: another process (a server compacting) may write in between.
    const [snapshot, updates] = this.db.transaction(() => {
      const snapshot = this.statements.snapshot.get(id) as Buffer | undefined;
      // A row another process compacted away since this one opened is in that snapshot.
      const updates = rows.map((seq) => this.statements.update.get(seq) as Buffer | undefined).filter((row) => row !== undefined);
      return [snapshot, updates] as const;
    })();
    return { snapshot: snapshot ? new Uint8Array(snapshot) : null, updates: updates.map((update) => new Uint8Array(update)) };
  }

  pendingCount(doc: string): number {
    this.flush();
    return this.logged.get(this.idOf(doc))?.length ?? 0;
  }

  compact(doc: string, state: Uint8Array): void {
    this.flush();
    const id = this.idOf(doc);
    // Every logged update of this document is in `state` (they are all committed above).
    this.db.transaction(() => {
      this.statements.upsertSnapshot.run(id, state, now());
      this.deleteRows(id);
    })();
    this.logged.delete(id);
  }

  deleteDocument(doc: string): void {
    this.flush();
    const id = this.idOf(doc);
    this.db.transaction(() => {
      this.deleteRows(id);
      this.statements.deleteSnapshot.run(id);
      this.statements.deleteId.run(id);
    })();
    this.logged.delete(id);
    this.ids.delete(doc);
  }

  private deleteRows(doc: number): void {
    for (const seq of this.logged.get(doc) ?? []) this.statements.deleteUpdate.run(seq);
  }
}

class SqliteStorage implements Storage {
  readonly documents: DocumentLog;
  readonly ai: AiStore;
  readonly memory: MemoryStore;
  readonly feedback: FeedbackStore;
  readonly agents: AgentStore;
  readonly notifications: NotificationStore;
  readonly jobs: JobStore;
  readonly tasks: TaskStore;
  readonly sharing: SharingStore;
  readonly accounts: AccountStore;

  private readonly db: Database.Database;
  private readonly checkpointer: ReturnType<typeof startWalCheckpointer> | null;

  constructor(file: string, options: SqliteOptions) {
    const onError = options.onError ?? ((error: unknown) => console.error("cocanvas storage:", error));
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode: a commit reaches the OS before it returns (survives a process
    // crash) without an fsync per transaction. See docs/decisions/0001-durable-updates.md.
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    migrate(this.db);
    if (options.backgroundCheckpoints) {
      this.db.pragma("wal_autocheckpoint = 0");
      this.checkpointer = startWalCheckpointer(file, onError);
    } else {
      this.checkpointer = null;
    }
    this.documents = new SqliteDocumentLog(this.db, onError);
    this.ai = new SqliteAiStore(this.db);
    this.memory = new SqliteMemoryStore(this.db);
    this.feedback = new SqliteFeedbackStore(this.db);
    this.agents = new SqliteAgentStore(this.db);
    this.notifications = new SqliteNotificationStore(this.db);
    this.jobs = new SqliteJobStore(this.db);
    this.tasks = new SqliteTaskStore(this.db);
    this.sharing = new SqliteSharingStore(this.db);
    this.accounts = new SqliteAccountStore(this.db);
  }

  async getSetting(key: string) {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }
  async setSetting(key: string, value: string) {
    this.db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  async countUsers() {
    return this.db.prepare("SELECT count(*) FROM users").pluck().get() as number;
  }
  async createUser(user: Omit<UserRow, "createdAt" | "disabledAt">) {
    const createdAt = now();
    this.db
      .prepare("INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(user.id, user.email, user.name, user.passwordHash, user.isAdmin ? 1 : 0, createdAt);
    return { ...user, createdAt, disabledAt: null };
  }
  async getUserById(id: string) {
    const row = this.db.prepare("SELECT * FROM users WHERE id = ?").get(id);
    return row ? userFrom(row) : null;
  }
  async getUserByEmail(email: string) {
    const row = this.db.prepare("SELECT * FROM users WHERE email = ?").get(email);
    return row ? userFrom(row) : null;
  }
  async listUsers() {
    return this.db.prepare("SELECT * FROM users ORDER BY created_at").all().map(userFrom);
  }

  async createSession(tokenHash: string, userId: string, csrfToken: string, expiresAt: string) {
    this.db
      .prepare("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
      .run(tokenHash, userId, csrfToken, now(), expiresAt);
  }
  async getSession(tokenHash: string) {
    const row = this.db.prepare("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?").get(tokenHash) as any;
    if (!row) return null;
    if (row.expires_at < now()) {
      await this.deleteSession(tokenHash);
      return null;
    }
    return { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }
  async deleteSession(tokenHash: string) {
    this.db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash);
  }

  async createToken(token: { id: string; userId: string; name: string; tokenHash: string }) {
    const createdAt = now();
    this.db
      .prepare("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(token.id, token.userId, token.name, token.tokenHash, createdAt);
    return { id: token.id, userId: token.userId, name: token.name, createdAt, lastUsedAt: null };
  }
  async getTokenUser(tokenHash: string) {
    const row = this.db.prepare("SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ?").get(tokenHash) as any;
    if (!row) return null;
    const today = now().slice(0, 10);
    if (row.last_used_at?.slice(0, 10) !== today) {
      this.db.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(now(), row.id);
    }
    return row.user_id as string;
  }
  async listTokens(userId: string) {
    return this.db
      .prepare("SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY created_at")
      .all(userId)
      .map((row: any) => ({ id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
  }
  async deleteToken(userId: string, id: string) {
    return this.db.prepare("DELETE FROM api_tokens WHERE user_id = ? AND id = ?").run(userId, id).changes > 0;
  }

  async createWorkspace(name: string, ownerId: string, id = newId()) {
    const createdAt = now();
    this.db.transaction(() => {
      this.db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").run(id, name, createdAt);
      this.db.prepare("INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (?, ?, 'owner')").run(id, ownerId);
    })();
    return { id, name, createdAt };
  }
  async getWorkspace(id: string) {
    const row = this.db.prepare("SELECT id, name, created_at FROM workspaces WHERE id = ?").get(id) as any;
    return row ? ({ id: row.id, name: row.name, createdAt: row.created_at } satisfies WorkspaceRow) : null;
  }
  async listAllWorkspaces() {
    return this.db
      .prepare("SELECT id, name, created_at FROM workspaces ORDER BY created_at")
      .all()
      .map((row: any) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }
  async renameWorkspace(id: string, name: string) {
    this.db.prepare("UPDATE workspaces SET name = ? WHERE id = ?").run(name, id);
  }
  async getWorkspaceModel(id: string) {
    return (this.db.prepare("SELECT default_model FROM workspaces WHERE id = ?").pluck().get(id) as string | null | undefined) ?? null;
  }
  async setWorkspaceModel(id: string, spec: string | null) {
    this.db.prepare("UPDATE workspaces SET default_model = ? WHERE id = ?").run(spec, id);
  }
  async deleteWorkspace(id: string) {
    this.db.transaction(() => {
      const canvasIds = this.db.prepare("SELECT id FROM canvases WHERE workspace_id = ?").pluck().all(id) as string[];
      for (const canvasId of canvasIds) this.documents.deleteDocument(canvasId);
      this.db.prepare("DELETE FROM workspaces WHERE id = ?").run(id);
    })();
  }
  async listWorkspacesOf(userId: string) {
    return this.db
      .prepare(
        "SELECT w.id, w.name, w.created_at, m.role FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id " +
          "WHERE m.user_id = ? ORDER BY w.created_at",
      )
      .all(userId)
      .map((row: any) => ({ id: row.id, name: row.name, createdAt: row.created_at, role: row.role as Role }));
  }
  async getMemberRole(workspaceId: string, userId: string) {
    return (this.db.prepare("SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?").pluck().get(workspaceId, userId) ??
      null) as Role | null;
  }
  async listMembers(workspaceId: string) {
    return this.db
      .prepare(
        "SELECT u.id, u.email, u.name, m.role FROM workspace_members m JOIN users u ON u.id = m.user_id " +
          "WHERE m.workspace_id = ? ORDER BY u.email",
      )
      .all(workspaceId)
      .map((row: any) => ({ userId: row.id, email: row.email, name: row.name, role: row.role as Role }));
  }
  async setMember(workspaceId: string, userId: string, role: Role) {
    this.db
      .prepare(
        "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (?, ?, ?) " +
          "ON CONFLICT(workspace_id, user_id) DO UPDATE SET role = excluded.role",
      )
      .run(workspaceId, userId, role);
  }
  async removeMember(workspaceId: string, userId: string) {
    this.db.prepare("DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?").run(workspaceId, userId);
  }

  async createCanvas(canvas: { id?: string; workspaceId: string; title: string; kind: CanvasRow["kind"]; createdBy: string | null }) {
    const row: CanvasRow = {
      id: canvas.id ?? newId(),
      workspaceId: canvas.workspaceId,
      title: canvas.title,
      kind: canvas.kind,
      createdBy: canvas.createdBy,
      createdAt: now(),
      updatedAt: now(),
      deletedAt: null,
    };
    this.db
      .prepare("INSERT INTO canvases (id, workspace_id, title, kind, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(row.id, row.workspaceId, row.title, row.kind, row.createdBy, row.createdAt, row.updatedAt);
    return row;
  }
  async getCanvas(id: string) {
    const row = this.db.prepare("SELECT * FROM canvases WHERE id = ?").get(id);
    return row ? canvasFrom(row) : null;
  }
  async listCanvases(workspaceId: string, options: { trash?: boolean; query?: string } = {}) {
    const conditions = ["workspace_id = ?", options.trash ? "deleted_at IS NOT NULL" : "deleted_at IS NULL"];
    const parameters: unknown[] = [workspaceId];
    if (options.query) {
      conditions.push("title LIKE ? ESCAPE '\\'");
      parameters.push(`%${options.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    return this.db
      .prepare(`SELECT * FROM canvases WHERE ${conditions.join(" AND ")} ORDER BY updated_at DESC`)
      .all(...parameters)
      .map(canvasFrom);
  }
  async listSharedCanvases(userId: string) {
    return this.db
      .prepare(
        "SELECT c.*, g.role AS grant_role FROM canvas_grants g JOIN canvases c ON c.id = g.canvas_id " +
          "WHERE g.user_id = ? AND c.deleted_at IS NULL AND NOT EXISTS " +
          "(SELECT 1 FROM workspace_members m WHERE m.workspace_id = c.workspace_id AND m.user_id = g.user_id) ORDER BY c.updated_at DESC",
      )
      .all(userId)
      .map((row: any) => ({ ...canvasFrom(row), role: row.grant_role as Role }));
  }
  async updateCanvas(id: string, fields: { title?: string; deletedAt?: string | null; updatedAt?: string }) {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (fields.title !== undefined) sets.push("title = ?"), values.push(fields.title);
    if (fields.deletedAt !== undefined) sets.push("deleted_at = ?"), values.push(fields.deletedAt);
    sets.push("updated_at = ?"), values.push(fields.updatedAt ?? now());
    this.db.prepare(`UPDATE canvases SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
  }
  async deleteCanvasForever(id: string) {
    this.db.transaction(() => {
      this.documents.deleteDocument(id);
      this.db.prepare("DELETE FROM canvases WHERE id = ?").run(id);
    })();
  }
  async getCanvasGrant(canvasId: string, userId: string) {
    return (this.db.prepare("SELECT role FROM canvas_grants WHERE canvas_id = ? AND user_id = ?").pluck().get(canvasId, userId) ?? null) as Role | null;
  }
  async setCanvasGrant(canvasId: string, userId: string, role: Exclude<Role, "owner">, shareLinkId: string | null = null) {
    this.db
      .prepare(
        "INSERT INTO canvas_grants (canvas_id, user_id, role, share_link_id, granted_at) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT(canvas_id, user_id) DO UPDATE SET role = excluded.role, share_link_id = excluded.share_link_id, granted_at = excluded.granted_at",
      )
      .run(canvasId, userId, role, shareLinkId, now());
  }

  async createVersion(version: Omit<VersionRow, "createdAt" | "createdByName"> & { state: Uint8Array; createdAt?: string }) {
    const createdAt = version.createdAt ?? now();
    this.db
      .prepare("INSERT INTO versions (id, canvas_id, name, kind, state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(version.id, version.canvasId, version.name, version.kind, version.state, version.createdBy, createdAt);
    const createdByName = version.createdBy
      ? ((this.db.prepare("SELECT name FROM users WHERE id = ?").pluck().get(version.createdBy) as string | undefined) ?? null)
      : null;
    return { id: version.id, canvasId: version.canvasId, name: version.name, kind: version.kind, createdBy: version.createdBy, createdByName, createdAt };
  }
  async listVersions(canvasId: string) {
    return this.db
      .prepare(
        "SELECT v.id, v.canvas_id, v.name, v.kind, v.created_by, u.name AS created_by_name, v.created_at FROM versions v " +
          "LEFT JOIN users u ON u.id = v.created_by WHERE v.canvas_id = ? ORDER BY v.created_at DESC, v.rowid DESC",
      )
      .all(canvasId)
      .map(versionFrom);
  }
  async getVersion(canvasId: string, id: string) {
    const row = this.db
      .prepare("SELECT v.*, u.name AS created_by_name FROM versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.canvas_id = ? AND v.id = ?")
      .get(canvasId, id) as any;
    return row ? { ...versionFrom(row), state: new Uint8Array(row.state) } : null;
  }
  async latestVersion(canvasId: string) {
    const row = this.db
      .prepare("SELECT id, canvas_id, name, kind, created_by, created_at FROM versions WHERE canvas_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1")
      .get(canvasId);
    return row ? versionFrom(row) : null;
  }

  async addUpload(canvasId: string, upload: Omit<UploadRow, "createdAt"> & { createdBy: string | null }) {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO uploads (id, mime, size, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING")
        .run(upload.id, upload.mime, upload.size, upload.data, upload.createdBy, now());
      this.db.prepare("INSERT INTO upload_canvases (upload_id, canvas_id) VALUES (?, ?) ON CONFLICT DO NOTHING").run(upload.id, canvasId);
    })();
  }
  async getUpload(id: string) {
    const row = this.db.prepare("SELECT * FROM uploads WHERE id = ?").get(id);
    return row ? uploadFrom(row) : null;
  }
  async uploadCanvases(id: string) {
    return this.db.prepare("SELECT canvas_id FROM upload_canvases WHERE upload_id = ?").pluck().all(id) as string[];
  }
  async listUploads(canvasId: string) {
    return this.db
      .prepare("SELECT u.* FROM uploads u JOIN upload_canvases c ON c.upload_id = u.id WHERE c.canvas_id = ? ORDER BY u.created_at")
      .all(canvasId)
      .map(uploadFrom);
  }

  async backup(file: string, progress?: (done: number, total: number) => void) {
    privateFile(file); // an empty file is an empty database to SQLite; the copy keeps its 0600
    await this.db.backup(file, {
      progress: ({ totalPages, remainingPages }) => {
        progress?.(totalPages - remainingPages, totalPages);
        return 100;
      },
    });
  }

  async close() {
    this.documents.flush();
    await this.checkpointer?.stop();
    this.db.close();
  }
}

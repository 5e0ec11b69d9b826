import type Database from "better-sqlite3";
import type { MemoryRow, MemoryStore, PersonalFeedbackRow, PersonalRunRow } from "./memory-store.ts";

const now = () => new Date().toISOString();

const memoryFrom = (row: any): MemoryRow => ({
  id: row.id,
  userId: row.user_id,
  workspaceId: row.workspace_id,
  kind: row.kind,
  text: row.text,
  sourceRunId: row.source_run_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class SqliteMemoryStore implements MemoryStore {
  constructor(private readonly db: Database.Database) {}

  async list(userId: string, workspaceId: string) {
    return this.db
      .prepare("SELECT * FROM memories WHERE user_id = ? AND workspace_id = ? ORDER BY created_at DESC, rowid ASC")
      .all(userId, workspaceId)
      .map(memoryFrom);
  }
  async get(id: string) {
    const row = this.db.prepare("SELECT * FROM memories WHERE id = ?").get(id);
    return row ? memoryFrom(row) : null;
  }
  async add(entries: Parameters<MemoryStore["add"]>[0]) {
    const insert = this.db.prepare(
      "INSERT INTO memories (id, user_id, workspace_id, kind, text, source_run_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const at = now();
    this.db.transaction(() => {
      for (const entry of entries) insert.run(entry.id, entry.userId, entry.workspaceId, entry.kind, entry.text, entry.sourceRunId, at, at);
    })();
  }
  async updateText(id: string, text: string) {
    this.db.prepare("UPDATE memories SET text = ?, updated_at = ? WHERE id = ?").run(text, now(), id);
    return this.get(id);
  }
  async delete(id: string) {
    this.db.prepare("DELETE FROM memories WHERE id = ?").run(id);
  }
  async deleteAll(userId: string, workspaceId: string) {
    return this.db.prepare("DELETE FROM memories WHERE user_id = ? AND workspace_id = ?").run(userId, workspaceId).changes;
  }
  async trim(userId: string, workspaceId: string, keep: number) {
    return this.db
      .prepare(
        "DELETE FROM memories WHERE user_id = ? AND workspace_id = ? AND id NOT IN " +
          "(SELECT id FROM memories WHERE user_id = ? AND workspace_id = ? ORDER BY updated_at DESC, created_at DESC, rowid DESC LIMIT ?)",
      )
      .run(userId, workspaceId, userId, workspaceId, keep).changes;
  }

  async reflectedAt(userId: string, workspaceId: string) {
    return (this.db.prepare("SELECT reflected_at FROM memory_reflections WHERE user_id = ? AND workspace_id = ?").pluck().get(userId, workspaceId) as string | undefined) ?? null;
  }
  async setReflectedAt(userId: string, workspaceId: string, at: string) {
    this.db
      .prepare("INSERT INTO memory_reflections (user_id, workspace_id, reflected_at) VALUES (?, ?, ?) ON CONFLICT(user_id, workspace_id) DO UPDATE SET reflected_at = excluded.reflected_at")
      .run(userId, workspaceId, at);
  }

  async feedbackBy(userId: string, workspaceId: string, since: string | null, limit: number): Promise<PersonalFeedbackRow[]> {
    const rows = this.db
      .prepare(
        "SELECT f.id, f.kind, f.final_text, f.created_at, f.canvas_id, f.run_id, r.instruction, f.suggestion_id, s.old_text, s.new_text " +
          "FROM ai_feedback f JOIN ai_runs r ON r.id = f.run_id JOIN canvases c ON c.id = f.canvas_id LEFT JOIN ai_suggestions s ON s.id = f.suggestion_id " +
          "WHERE f.user_id = ? AND c.workspace_id = ? AND (? IS NULL OR f.created_at > ?) ORDER BY f.id DESC LIMIT ?",
      )
      .all(userId, workspaceId, since, since, limit) as any[];
    return rows.reverse().map((row) => ({
      feedbackId: row.id,
      kind: row.kind,
      finalText: row.final_text,
      createdAt: row.created_at,
      canvasId: row.canvas_id,
      runId: row.run_id,
      instruction: row.instruction,
      suggestionId: row.suggestion_id,
      oldText: row.old_text ?? null,
      newText: row.new_text ?? null,
    }));
  }
  async runsBy(userId: string, workspaceId: string, since: string | null, limit: number): Promise<PersonalRunRow[]> {
    const rows = this.db
      .prepare(
        "SELECT r.id, r.canvas_id, r.instruction, r.created_at FROM ai_runs r JOIN canvases c ON c.id = r.canvas_id " +
          "WHERE r.user_id = ? AND c.workspace_id = ? AND (? IS NULL OR r.created_at > ?) ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?",
      )
      .all(userId, workspaceId, since, since, limit) as any[];
    return rows.reverse().map((row) => ({ id: row.id, canvasId: row.canvas_id, instruction: row.instruction, createdAt: row.created_at }));
  }
  async activeOn(canvasId: string, since: string) {
    return this.db
      .prepare(
        "SELECT user_id FROM ai_runs WHERE canvas_id = ? AND created_at > ? AND user_id IS NOT NULL " +
          "UNION SELECT f.user_id FROM ai_runs r JOIN ai_feedback f ON f.run_id = r.id WHERE r.canvas_id = ? AND f.created_at > ? AND f.user_id IS NOT NULL",
      )
      .pluck()
      .all(canvasId, since, canvasId, since) as string[];
  }
  async canvasesTouched(userId: string, workspaceId: string, since: string | null, limit: number) {
    return this.db
      .prepare(
        "SELECT id FROM canvases c WHERE workspace_id = ? AND deleted_at IS NULL AND (? IS NULL OR updated_at > ? " +
          "OR EXISTS (SELECT 1 FROM ai_runs r WHERE r.canvas_id = c.id AND r.user_id = ? AND r.created_at > ?) " +
          "OR EXISTS (SELECT 1 FROM ai_feedback f WHERE f.canvas_id = c.id AND f.user_id = ? AND f.created_at > ?)) " +
          "ORDER BY updated_at DESC LIMIT ?",
      )
      .pluck()
      .all(workspaceId, since, since, userId, since, userId, since, limit) as string[];
  }
}

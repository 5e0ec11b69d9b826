import type Database from "better-sqlite3";
import type { AccountStore } from "./account-store.ts";

const now = () => new Date().toISOString();

export class SqliteAccountStore implements AccountStore {
  constructor(private readonly db: Database.Database) {}

  async updateProfile(userId: string, fields: { name?: string; email?: string }): Promise<void> {
    if (fields.name !== undefined) this.db.prepare("UPDATE users SET name = ? WHERE id = ?").run(fields.name, userId);
    if (fields.email !== undefined) this.db.prepare("UPDATE users SET email = ? WHERE id = ?").run(fields.email, userId);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    this.db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, userId);
  }

  async setDisabled(userId: string, disabledAt: string | null): Promise<void> {
    this.db.prepare("UPDATE users SET disabled_at = ? WHERE id = ?").run(disabledAt, userId);
  }

  async deleteUser(userId: string): Promise<void> {
    this.db.prepare("DELETE FROM users WHERE id = ?").run(userId);
  }

  async endSessions(userId: string, exceptTokenHash?: string): Promise<void> {
    this.db.prepare("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?").run(userId, exceptTokenHash ?? null);
  }

  async countActiveAdmins(): Promise<number> {
    return this.db.prepare("SELECT count(*) FROM users WHERE is_admin = 1 AND disabled_at IS NULL").pluck().get() as number;
  }

  async createPasswordReset(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    this.db.prepare("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(tokenHash, userId, now(), expiresAt);
  }

  async usePasswordReset(tokenHash: string): Promise<string | null> {
    const at = now();
    const row = this.db
      .prepare("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id")
      .get(at, tokenHash, at) as { user_id: string } | undefined;
    return row?.user_id ?? null;
  }
}

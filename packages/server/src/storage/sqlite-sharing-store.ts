import type Database from "better-sqlite3";
import type { GrantRow, InvitationRow, ShareLinkRow, ShareLinkSummary, SharingStore } from "./sharing-store.ts";

const now = () => new Date().toISOString();

const shareFrom = (row: any): ShareLinkRow => ({
  id: row.id,
  canvasId: row.canvas_id,
  tokenHash: row.token,
  role: row.role,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});
const invitationFrom = (row: any): InvitationRow => ({
  id: row.id,
  workspaceId: row.workspace_id,
  email: row.email,
  role: row.role,
  createdBy: row.created_by,
  createdByName: row.created_by_name ?? null,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  acceptedBy: row.accepted_by,
  acceptedAt: row.accepted_at,
});

export class SqliteSharingStore implements SharingStore {
  constructor(private readonly db: Database.Database) {}

  async createShareLink(link: Omit<ShareLinkRow, "createdAt" | "revokedAt">): Promise<ShareLinkRow> {
    const createdAt = now();
    // The column is named token but holds its sha256 since the migration that hashed them.
    this.db
      .prepare("INSERT INTO share_links (id, canvas_id, token, role, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(link.id, link.canvasId, link.tokenHash, link.role, link.createdBy, createdAt);
    return { ...link, createdAt, revokedAt: null };
  }

  async getShareLinkByTokenHash(tokenHash: string): Promise<ShareLinkRow | null> {
    const row = this.db.prepare("SELECT * FROM share_links WHERE token = ? AND revoked_at IS NULL").get(tokenHash);
    return row ? shareFrom(row) : null;
  }

  async listGrants(canvasId: string): Promise<GrantRow[]> {
    return this.db
      .prepare(
        "SELECT g.user_id, u.name, u.email, g.role, g.share_link_id, g.granted_at FROM canvas_grants g JOIN users u ON u.id = g.user_id " +
          "WHERE g.canvas_id = ? ORDER BY u.name, u.email",
      )
      .all(canvasId)
      .map((row: any) => ({ userId: row.user_id, name: row.name, email: row.email, role: row.role, shareLinkId: row.share_link_id, grantedAt: row.granted_at }));
  }

  async removeGrant(canvasId: string, userId: string): Promise<boolean> {
    return this.db.prepare("DELETE FROM canvas_grants WHERE canvas_id = ? AND user_id = ?").run(canvasId, userId).changes > 0;
  }

  async revokeShareLink(canvasId: string, shareLinkId: string): Promise<{ userIds: string[] } | null> {
    return this.db.transaction(() => {
      const revoked = this.db.prepare("UPDATE share_links SET revoked_at = ? WHERE canvas_id = ? AND id = ? AND revoked_at IS NULL").run(now(), canvasId, shareLinkId);
      if (revoked.changes === 0) return null;
      const userIds = this.db.prepare("SELECT user_id FROM canvas_grants WHERE canvas_id = ? AND share_link_id = ?").pluck().all(canvasId, shareLinkId) as string[];
      this.db.prepare("DELETE FROM canvas_grants WHERE canvas_id = ? AND share_link_id = ?").run(canvasId, shareLinkId);
      return { userIds };
    })();
  }

  async listShareLinks(canvasId: string): Promise<ShareLinkSummary[]> {
    return this.db
      .prepare(
        "SELECT l.id, l.role, l.created_by, u.name AS created_by_name, l.created_at, " +
          "(SELECT count(*) FROM canvas_grants g WHERE g.share_link_id = l.id) AS people " +
          "FROM share_links l LEFT JOIN users u ON u.id = l.created_by WHERE l.canvas_id = ? AND l.revoked_at IS NULL ORDER BY l.created_at, l.rowid",
      )
      .all(canvasId)
      .map((row: any) => ({ id: row.id, role: row.role, createdBy: row.created_by, createdByName: row.created_by_name, createdAt: row.created_at, people: row.people }));
  }

  async createInvitation(invitation: { id: string; workspaceId: string; tokenHash: string; email: string | null; role: InvitationRow["role"]; createdBy: string; expiresAt: string }) {
    const createdAt = now();
    this.db
      .prepare("INSERT INTO invitations (id, workspace_id, token_hash, email, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(invitation.id, invitation.workspaceId, invitation.tokenHash, invitation.email, invitation.role, invitation.createdBy, createdAt, invitation.expiresAt);
    return (await this.getInvitation(invitation.id))!;
  }

  private async getInvitation(id: string): Promise<InvitationRow | null> {
    const row = this.db.prepare("SELECT i.*, u.name AS created_by_name FROM invitations i LEFT JOIN users u ON u.id = i.created_by WHERE i.id = ?").get(id);
    return row ? invitationFrom(row) : null;
  }

  async listInvitations(workspaceId: string): Promise<InvitationRow[]> {
    return this.db
      .prepare("SELECT i.*, u.name AS created_by_name FROM invitations i LEFT JOIN users u ON u.id = i.created_by WHERE i.workspace_id = ? ORDER BY i.created_at DESC, i.rowid DESC")
      .all(workspaceId)
      .map(invitationFrom);
  }

  async getInvitationByTokenHash(tokenHash: string): Promise<InvitationRow | null> {
    const row = this.db.prepare("SELECT i.*, u.name AS created_by_name FROM invitations i LEFT JOIN users u ON u.id = i.created_by WHERE i.token_hash = ?").get(tokenHash);
    return row ? invitationFrom(row) : null;
  }

  async revokeInvitation(workspaceId: string, id: string): Promise<boolean> {
    return (
      this.db.prepare("UPDATE invitations SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL AND accepted_at IS NULL").run(now(), workspaceId, id)
        .changes > 0
    );
  }

  async acceptInvitation(id: string, userId: string): Promise<boolean> {
    const at = now();
    return (
      this.db
        .prepare("UPDATE invitations SET accepted_by = ?, accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?")
        .run(userId, at, id, at).changes > 0
    );
  }
}

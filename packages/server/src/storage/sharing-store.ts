import type { Role } from "@cocanvas/protocol";

export interface ShareLinkRow {
  id: string;
  canvasId: string;
  /** sha256 of the link's token: the token itself is shown once, when the link is made. */
  tokenHash: string;
  role: Exclude<Role, "owner">;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
}
/** Someone who reaches a canvas through a grant (a share link they accepted), not membership. */
export interface GrantRow {
  userId: string;
  name: string;
  email: string;
  role: Exclude<Role, "owner">;
  /** The link the grant came through; null for grants made before links were recorded. */
  shareLinkId: string | null;
  grantedAt: string | null;
}

/** A share link as its canvas's managers see it: never its token (only its hash is kept). */
export interface ShareLinkSummary {
  id: string;
  role: Exclude<Role, "owner">;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  /** How many people hold their access through this link now. */
  people: number;
}

export interface InvitationRow {
  id: string;
  workspaceId: string;
  email: string | null;
  role: Role;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  acceptedBy: string | null;
  acceptedAt: string | null;
}

/** Canvas grants with the link each came through, share-link summaries, and workspace invitations. */
export interface SharingStore {
  createShareLink(link: Omit<ShareLinkRow, "createdAt" | "revokedAt">): Promise<ShareLinkRow>;
  /** The live (not revoked) link whose token has this hash. */
  getShareLinkByTokenHash(tokenHash: string): Promise<ShareLinkRow | null>;
  listGrants(canvasId: string): Promise<GrantRow[]>;
  /** Removes one person's grant on a canvas; false when they held none. */
  removeGrant(canvasId: string, userId: string): Promise<boolean>;
  /** Revokes a link and removes every grant that came through it, in one transaction; null when no live link has that id. */
  revokeShareLink(canvasId: string, shareLinkId: string): Promise<{ userIds: string[] } | null>;
  listShareLinks(canvasId: string): Promise<ShareLinkSummary[]>;

  createInvitation(invitation: { id: string; workspaceId: string; tokenHash: string; email: string | null; role: Role; createdBy: string; expiresAt: string }): Promise<InvitationRow>;
  /** Invitations of a workspace, newest first (accepted, revoked and expired ones too). */
  listInvitations(workspaceId: string): Promise<InvitationRow[]>;
  getInvitationByTokenHash(tokenHash: string): Promise<InvitationRow | null>;
  revokeInvitation(workspaceId: string, id: string): Promise<boolean>;
  /** Marks an open invitation accepted; false when it was used, revoked or expired meanwhile. */
  acceptInvitation(id: string, userId: string): Promise<boolean>;
}

import { ApiError, roleAtLeast, strongerRole, type Role } from "@cocanvas/protocol";
import type { CanvasRow, Storage, WorkspaceRow } from "./storage/storage.ts";

/**
 * Who may do what: a user's role in a workspace, and on a canvas (the stronger of the
 * workspace role and a role granted through a share link). Things a user holds no role
 * on answer "not found", so ids of other people's canvases leak nothing.
 */
export class Access {
  constructor(private readonly storage: Storage) {}

  async workspaceRole(userId: string, workspaceId: string): Promise<Role | null> {
    return this.storage.getMemberRole(workspaceId, userId);
  }

  async canvasRole(userId: string, canvas: CanvasRow): Promise<Role | null> {
    const [memberRole, grantRole] = await Promise.all([
      this.storage.getMemberRole(canvas.workspaceId, userId),
      this.storage.getCanvasGrant(canvas.id, userId),
    ]);
    return strongerRole(memberRole, grantRole);
  }

  /** The workspace, if the user holds at least `needed` in it; else 404 (no role) or 403. */
  async requireWorkspace(userId: string, workspaceId: string, needed: Role): Promise<{ workspace: WorkspaceRow; role: Role }> {
    const [workspace, role] = await Promise.all([this.storage.getWorkspace(workspaceId), this.workspaceRole(userId, workspaceId)]);
    if (!workspace || !role) throw new ApiError("not_found", "No such workspace.");
    if (!roleAtLeast(role, needed)) throw new ApiError("forbidden", `This needs the ${needed} role in the workspace; you are ${role}.`);
    return { workspace, role };
  }

  /**
   * Choosing which model runs — per request, per agent or as the workspace's default —
   * spends the server's keys and names server files (`local:`), so it belongs to the
   * workspace's owners (decision 0016). Everyone else uses what the owners chose.
   */
  async requireModelChoice(userId: string, workspaceId: string, what: string): Promise<void> {
    const role = await this.workspaceRole(userId, workspaceId);
    if (role !== "owner") throw new ApiError("forbidden", `Only workspace owners choose ${what}; leave it empty to use the workspace's model.`);
  }

  /** The canvas, if the user holds at least `needed` on it; else 404 (no role) or 403. */
  async requireCanvas(userId: string, canvasId: string, needed: Role): Promise<{ canvas: CanvasRow; role: Role }> {
    const canvas = await this.storage.getCanvas(canvasId);
    const role = canvas ? await this.canvasRole(userId, canvas) : null;
    if (!canvas || !role) throw new ApiError("not_found", "No such canvas.");
    if (!roleAtLeast(role, needed)) throw new ApiError("forbidden", `This needs the ${needed} role on the canvas; you are ${role}.`);
    return { canvas, role };
  }

  /**
   * The canvas, if the user may decide who reaches it (make and revoke share links, see
   * and remove grants): an editor or owner *of its workspace*. Someone who reached the
   * canvas through a link never passes access on, so revoking a link ends what it gave
   * (decision 0009).
   */
  async requireCanvasManager(userId: string, canvasId: string): Promise<{ canvas: CanvasRow; role: Role }> {
    const { canvas, role } = await this.requireCanvas(userId, canvasId, "viewer");
    if (!roleAtLeast(await this.storage.getMemberRole(canvas.workspaceId, userId), "editor")) {
      throw new ApiError("forbidden", "Only editors and owners of the canvas's workspace manage who has access; a share link does not pass on the right to share.");
    }
    return { canvas, role };
  }
}

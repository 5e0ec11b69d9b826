import {
  ApiError,
  CanvasCreateBody,
  CanvasImportBody,
  MemberAddBody,
  MemberPatchBody,
  WorkspaceCreateBody,
  WorkspacePatchBody,
  type Canvas,
  type Role,
} from "@cocanvas/protocol";
import { z } from "zod";
import { writeInitialContent } from "../canvases/canvas-content.ts";
import { exportWorkspace, importWorkspace } from "../canvases/workspace-transfer.ts";
import type { Services } from "../services.ts";
import type { CanvasRow } from "../storage/storage.ts";
import type { ApiRouter } from "./api-router.ts";

export const canvasJson = (canvas: CanvasRow, role: Role): Canvas => ({
  id: canvas.id,
  workspaceId: canvas.workspaceId,
  title: canvas.title,
  kind: canvas.kind,
  role,
  createdAt: canvas.createdAt,
  updatedAt: canvas.updatedAt,
  deletedAt: canvas.deletedAt,
});

export function addWorkspaceRoutes(api: ApiRouter, services: Services) {
  const { storage, access, documents, events } = services;
  const userId = (context: { get(key: "user"): { id: string } | null }) => context.get("user")!.id;

  api.add("get", "/api/workspaces", { summary: "Workspaces you belong to" }, async (context) =>
    context.json({ items: await storage.listWorkspacesOf(userId(context)) }),
  );

  api.add("post", "/api/workspaces", { summary: "Create a workspace (you become its owner)", body: WorkspaceCreateBody, success: 201 }, async (context, body) => {
    const workspace = await storage.createWorkspace(body.name, userId(context));
    events.workspaceChanged(workspace.id, "workspace");
    return context.json({ ...workspace, role: "owner" }, 201);
  });

  api.add("post", "/api/workspaces/import", { summary: "Import a workspace export as a new workspace", body: z.unknown(), success: 201 }, async (context, body) => {
    const workspace = await importWorkspace(storage, body, userId(context));
    events.workspaceChanged(workspace.id, "workspace");
    return context.json({ ...workspace, role: "owner" }, 201);
  });

  api.add("get", "/api/workspaces/{id}", { summary: "A workspace", role: "viewer" }, async (context) => {
    const { workspace, role } = await access.requireWorkspace(userId(context), context.req.param("id")!, "viewer");
    return context.json({ ...workspace, role });
  });

  api.add("patch", "/api/workspaces/{id}", { summary: "Rename a workspace", role: "owner", body: WorkspacePatchBody }, async (context, body) => {
    const { workspace, role } = await access.requireWorkspace(userId(context), context.req.param("id")!, "owner");
    await storage.renameWorkspace(workspace.id, body.name);
    events.workspaceChanged(workspace.id, "workspace");
    return context.json({ ...workspace, name: body.name, role });
  });

  api.add("delete", "/api/workspaces/{id}", { summary: "Delete a workspace and everything in it", role: "owner", success: 204 }, async (context) => {
    const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "owner");
    const canvases = [...(await storage.listCanvases(workspace.id)), ...(await storage.listCanvases(workspace.id, { trash: true }))];
    const members = await storage.listMembers(workspace.id);
    await storage.deleteWorkspace(workspace.id);
    await services.workspaceData.deleteWorkspace(workspace.id);
    // After the change, so that clients reconnecting at once find no canvas.
    for (const canvas of canvases) services.closeConnections(canvas.id);
    // The workspace has no members any more: tell those it had.
    for (const member of members) events.publishToUser(member.userId, { type: "workspace-changed", workspaceId: workspace.id, what: "workspace" });
    return context.body(null, 204);
  });

  api.add("get", "/api/workspaces/{id}/export", { summary: "Export a workspace as JSON (imports back losslessly)", role: "owner" }, async (context) => {
    const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "owner");
    const data = await exportWorkspace(storage, documents, workspace);
    context.header("Content-Disposition", `attachment; filename="workspace-${workspace.id}.json"`);
    return context.json(data);
  });

  api.add("get", "/api/workspaces/{id}/members", { summary: "Members of a workspace", role: "viewer" }, async (context) => {
    const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "viewer");
    return context.json({ items: await storage.listMembers(workspace.id) });
  });

  // One answer whether or not the email has an account (decision 0012): an account is
  // added at once; an unknown email gets nothing here (an invitation, where built, takes
  // it from this point). Neither the status nor the body tells the two apart.
  api.add(
    "post",
    "/api/workspaces/{id}/members",
    { summary: "Invite a person by email (an existing account is added at once; the answer is the same either way)", role: "owner", body: MemberAddBody, success: 202 },
    async (context, body) => {
      const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "owner");
      const user = await storage.getUserByEmail(body.email);
      if (user) {
        if (await storage.getMemberRole(workspace.id, user.id)) throw new ApiError("conflict", `${body.email} is already a member; change their role instead.`);
        await storage.setMember(workspace.id, user.id, body.role);
        events.workspaceChanged(workspace.id, "members");
      }
      return context.json({ email: body.email, role: body.role, status: "invited" as const }, 202);
    },
  );

  async function ensureAnotherOwner(workspaceId: string, leavingUserId: string) {
    const owners = (await storage.listMembers(workspaceId)).filter((member) => member.role === "owner");
    if (owners.length === 1 && owners[0]!.userId === leavingUserId) {
      throw new ApiError("conflict", "A workspace needs an owner: make someone else owner first.");
    }
  }

  api.add("patch", "/api/workspaces/{id}/members/{userId}", { summary: "Change a member's role", role: "owner", body: MemberPatchBody }, async (context, body) => {
    const { workspace } = await access.requireWorkspace(userId(context), context.req.param("id")!, "owner");
    const member = (await storage.listMembers(workspace.id)).find((candidate) => candidate.userId === context.req.param("userId"));
    if (!member) throw new ApiError("not_found", "No such member.");
    if (body.role !== "owner") await ensureAnotherOwner(workspace.id, member.userId);
    await storage.setMember(workspace.id, member.userId, body.role);
    await services.refreshAccess(workspace.id, member.userId);
    events.workspaceChanged(workspace.id, "members");
    return context.json({ ...member, role: body.role });
  });

  api.add("delete", "/api/workspaces/{id}/members/{userId}", { summary: "Remove a member (owners, or members leaving)", success: 204 }, async (context) => {
    const workspaceId = context.req.param("id")!;
    const target = context.req.param("userId")!;
    const { workspace } = await access.requireWorkspace(userId(context), workspaceId, target === userId(context) ? "viewer" : "owner");
    if (!(await storage.getMemberRole(workspace.id, target))) throw new ApiError("not_found", "No such member.");
    await ensureAnotherOwner(workspace.id, target);
    await storage.removeMember(workspace.id, target);
    await services.refreshAccess(workspace.id, target);
    events.workspaceChanged(workspace.id, "members");
    // The person removed hears it once (their list of workspaces changed), and nothing after.
    events.publishToUser(target, { type: "workspace-changed", workspaceId: workspace.id, what: "members" });
    return context.body(null, 204);
  });

  api.add(
    "get",
    "/api/workspaces/{id}/canvases",
    { summary: "Canvases of a workspace", role: "viewer", query: { q: "words the title contains", trash: "true to list the trash" } },
    async (context) => {
      const { workspace, role } = await access.requireWorkspace(userId(context), context.req.param("id")!, "viewer");
      const canvases = await storage.listCanvases(workspace.id, { trash: context.req.query("trash") === "true", query: context.req.query("q")?.slice(0, 200) });
      return context.json({ items: canvases.map((canvas) => canvasJson(canvas, role)) });
    },
  );

  api.add("post", "/api/workspaces/{id}/canvases", { summary: "Create a canvas", role: "editor", body: CanvasCreateBody, success: 201 }, async (context, body) => {
    const { workspace, role } = await access.requireWorkspace(userId(context), context.req.param("id")!, "editor");
    const canvas = await storage.createCanvas({ workspaceId: workspace.id, title: body.title, kind: body.kind, createdBy: userId(context) });
    await writeInitialContent(documents, canvas, null);
    events.workspaceChanged(workspace.id, "canvases");
    return context.json(canvasJson(canvas, role), 201);
  });

  api.add(
    "post",
    "/api/workspaces/{id}/import",
    { summary: "Create a canvas from Markdown (doc) or files (code)", role: "editor", body: CanvasImportBody, success: 201 },
    async (context, body) => {
      const { workspace, role } = await access.requireWorkspace(userId(context), context.req.param("id")!, "editor");
      const canvas = await storage.createCanvas({ workspaceId: workspace.id, title: body.title, kind: body.kind, createdBy: userId(context) });
      await writeInitialContent(documents, canvas, body.kind === "doc" ? { markdown: body.markdown } : { files: body.files });
      events.workspaceChanged(workspace.id, "canvases");
      return context.json(canvasJson(canvas, role), 201);
    },
  );

  api.add("get", "/api/shared", { summary: "Canvases shared with you through links" }, async (context) =>
    context.json({ items: (await storage.listSharedCanvases(userId(context))).map((canvas) => canvasJson(canvas, canvas.role)) }),
  );
}

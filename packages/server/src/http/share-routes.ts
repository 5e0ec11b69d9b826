import { ApiError, roleAtLeast, ShareCreateBody } from "@cocanvas/protocol";
import { hashSecret, newId, newSecret } from "../ids.ts";
import type { Services } from "../services.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { canvasJson } from "./workspace-routes.ts";

/**
 * Share links and the grants they give (decision 0009): only editors and owners of the
 * canvas's workspace make, list and revoke links and see and remove grants; a link's token
 * is shown once and kept only as its hash; revoking a link removes the access it gave.
 */
export function addShareRoutes(api: ApiRouter, services: Services) {
  const { storage, access, config } = services;
  const userId = (context: ApiContext) => context.get("user")!.id;
  const managed = (context: ApiContext) => access.requireCanvasManager(userId(context), context.req.param("id")!);
  const linkUrl = (context: ApiContext, token: string) => `${config.publicUrl || new URL(context.req.url).origin}/s/${token}`;

  api.add("get", "/api/canvases/{id}/shares", { summary: "Live share links of a canvas (without their tokens)", role: "workspace editor" }, async (context) => {
    const { canvas } = await managed(context);
    return context.json({ items: await storage.sharing.listShareLinks(canvas.id) });
  });

  api.add(
    "post",
    "/api/canvases/{id}/shares",
    { summary: "Create a share link that carries a role (its URL is shown only in this answer)", role: "workspace editor", body: ShareCreateBody, success: 201 },
    async (context, body) => {
      const { canvas } = await managed(context);
      const token = newSecret();
      const share = await storage.sharing.createShareLink({ id: newId(), canvasId: canvas.id, tokenHash: hashSecret(token), role: body.role, createdBy: userId(context) });
      return context.json({ id: share.id, role: share.role, token, url: linkUrl(context, token), createdAt: share.createdAt }, 201);
    },
  );

  api.add(
    "delete",
    "/api/canvases/{id}/shares/{shareId}",
    { summary: "Revoke a share link: nobody can use it any more, and everyone who got access through it loses it", role: "workspace editor", success: 204 },
    async (context) => {
      const { canvas } = await managed(context);
      const revoked = await storage.sharing.revokeShareLink(canvas.id, context.req.param("shareId")!);
      if (!revoked) throw new ApiError("not_found", "No such share link.");
      // Only the people who lose access (or a role) through it are disconnected; they reconnect with what they still hold.
      for (const person of revoked.userIds) await services.refreshCanvasAccess(canvas.id, person);
      return context.body(null, 204);
    },
  );

  api.add("get", "/api/canvases/{id}/grants", { summary: "People who reach a canvas through a share link, with their role and link", role: "workspace editor" }, async (context) => {
    const { canvas } = await managed(context);
    return context.json({ items: await storage.sharing.listGrants(canvas.id) });
  });

  api.add(
    "delete",
    "/api/canvases/{id}/grants/{userId}",
    { summary: "Remove a person's link access to a canvas (workspace editors and owners, or the person leaving)", success: 204 },
    async (context) => {
      const target = context.req.param("userId")!;
      const { canvas } =
        target === userId(context) ? await access.requireCanvas(userId(context), context.req.param("id")!, "viewer") : await managed(context);
      if (!(await storage.sharing.removeGrant(canvas.id, target))) throw new ApiError("not_found", "That person holds no link access to this canvas.");
      await services.refreshCanvasAccess(canvas.id, target);
      return context.body(null, 204);
    },
  );

  const shareFor = async (context: ApiContext) => {
    const share = await storage.sharing.getShareLinkByTokenHash(hashSecret(context.req.param("token")!));
    const canvas = share && (await storage.getCanvas(share.canvasId));
    if (!share || !canvas || canvas.deletedAt) throw new ApiError("not_found", "This share link is not valid (any more). Ask whoever sent it for a new one.");
    return { share, canvas };
  };

  api.add(
    "get",
    "/api/shares/{token}",
    { summary: "What a share link opens (anyone holding the link, signed in or not)", auth: "none" },
    async (context) => {
      const { share, canvas } = await shareFor(context);
      const [workspace, sharer] = await Promise.all([storage.getWorkspace(canvas.workspaceId), share.createdBy ? storage.getUserById(share.createdBy) : null]);
      const user = context.get("user");
      const currentRole = user ? await access.canvasRole(user.id, canvas) : null;
      return context.json({
        canvasId: canvas.id,
        title: canvas.title,
        kind: canvas.kind,
        role: share.role,
        workspaceName: workspace?.name ?? "",
        sharedBy: sharer?.name ?? null,
        currentRole,
      });
    },
  );

  api.add("post", "/api/shares/{token}/accept", { summary: "Accept a share link: you get its role on the canvas" }, async (context) => {
    const { share, canvas } = await shareFor(context);
    const grant = await storage.getCanvasGrant(canvas.id, userId(context));
    // A link never lowers a role someone already holds; the grant records the link it came through.
    if (!roleAtLeast(grant, share.role)) {
      await storage.setCanvasGrant(canvas.id, userId(context), share.role, share.id);
      await services.refreshCanvasAccess(canvas.id, userId(context));
    }
    const role = (await access.canvasRole(userId(context), canvas))!;
    return context.json(canvasJson(canvas, role));
  });
}

import { ApiError, InvitationAcceptBody, InvitationCreateBody, roleAtLeast } from "@cocanvas/protocol";
import { publicUser } from "../accounts/accounts.ts";
import { hashSecret, newId, newSecret } from "../ids.ts";
import type { Services } from "../services.ts";
import type { InvitationRow } from "../storage/sharing-store.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { startSession } from "./session-cookie.ts";

const status = (invitation: InvitationRow) =>
  invitation.acceptedAt ? "accepted" : invitation.revokedAt ? "revoked" : invitation.expiresAt <= new Date().toISOString() ? "expired" : "open";

const invitationJson = (invitation: InvitationRow) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  createdByName: invitation.createdByName,
  createdAt: invitation.createdAt,
  expiresAt: invitation.expiresAt,
  status: status(invitation),
  acceptedAt: invitation.acceptedAt,
});

/**
 * Invitations to a workspace (decision 0009): owners make, list and revoke them; the link
 * works once, until it expires, and signs the person up (even with sign-up off: the
 * invitation is the permission) or joins the account they are signed in with.
 */
export function addInvitationRoutes(api: ApiRouter, services: Services) {
  const { storage, access, accounts, config, mailer, logger } = services;
  const owned = (context: ApiContext) => access.requireWorkspace(context.get("user")!.id, context.req.param("id")!, "owner");

  api.add(
    "post",
    "/api/workspaces/{id}/invitations",
    { summary: "Invite someone with a role (the link is shown once; emailed too when email is on and an address is given)", role: "owner", body: InvitationCreateBody, success: 201 },
    async (context, body) => {
      const { workspace } = await owned(context);
      const token = newSecret();
      const invitation = await storage.sharing.createInvitation({
        id: newId(),
        workspaceId: workspace.id,
        tokenHash: hashSecret(token),
        email: body.email ?? null,
        role: body.role,
        createdBy: context.get("user")!.id,
        expiresAt: new Date(Date.now() + body.expiresInDays * 86_400_000).toISOString(),
      });
      const url = `${config.publicUrl || new URL(context.req.url).origin}/invite/${token}`;
      let emailed = false;
      if (body.email && mailer.configured) {
        emailed = await mailer
          .send({
            to: body.email,
            subject: `${context.get("user")!.name} invited you to ${workspace.name} on Cocanvas`,
            text: `${context.get("user")!.name} invited you to the workspace "${workspace.name}" as ${body.role}.\n\nJoin here (the link works once, until ${invitation.expiresAt.slice(0, 10)}):\n${url}`,
          })
          .then(() => true)
          .catch((error) => {
            logger.warn({ err: error }, "invitation email not sent");
            return false;
          });
      }
      return context.json({ ...invitationJson(invitation), token, url, emailed }, 201);
    },
  );

  api.add("get", "/api/workspaces/{id}/invitations", { summary: "Invitations of a workspace, newest first, with their status", role: "owner" }, async (context) => {
    const { workspace } = await owned(context);
    return context.json({ items: (await storage.sharing.listInvitations(workspace.id)).map(invitationJson) });
  });

  api.add("delete", "/api/workspaces/{id}/invitations/{invitationId}", { summary: "Revoke an open invitation", role: "owner", success: 204 }, async (context) => {
    const { workspace } = await owned(context);
    if (!(await storage.sharing.revokeInvitation(workspace.id, context.req.param("invitationId")!))) throw new ApiError("not_found", "No open invitation has that id.");
    return context.body(null, 204);
  });

  const openInvitation = async (context: ApiContext) => {
    const invitation = await storage.sharing.getInvitationByTokenHash(hashSecret(context.req.param("token")!));
    if (!invitation || status(invitation) !== "open") throw new ApiError("not_found", "This invitation is not valid (any more): it was used, revoked or has expired. Ask for a new one.");
    const workspace = (await storage.getWorkspace(invitation.workspaceId))!;
    return { invitation, workspace };
  };

  api.add("get", "/api/invitations/{token}", { summary: "What an invitation is for (anyone holding the link)", auth: "none" }, async (context) => {
    const { invitation, workspace } = await openInvitation(context);
    return context.json({ workspaceId: workspace.id, workspaceName: workspace.name, role: invitation.role, email: invitation.email, invitedBy: invitation.createdByName, expiresAt: invitation.expiresAt });
  });

  api.add(
    "post",
    "/api/invitations/{token}/accept",
    { summary: "Join the workspace: signed in, with your account; signed out, sign up with {email, password, name?}", auth: "none", body: InvitationAcceptBody },
    async (context, body) => {
      const { invitation, workspace } = await openInvitation(context);
      let user = context.get("user");
      let csrfToken = context.get("csrfToken");
      if (!user) {
        const email = invitation.email ?? body.email;
        if (!email) throw new ApiError("invalid_request", "email: give the email for your new account.");
        if (invitation.email && body.email && body.email !== invitation.email) throw new ApiError("invalid_request", `email: this invitation is for ${invitation.email}.`);
        if (!body.password) throw new ApiError("invalid_request", "password: choose a password for your new account.");
        // The invitation is the permission: it signs up even when sign-up is off.
        user = await accounts.createUser({ email, password: body.password, name: body.name }, true);
        csrfToken = await startSession(context, services, user.id);
      }
      if (!(await storage.sharing.acceptInvitation(invitation.id, user.id))) throw new ApiError("not_found", "This invitation is not valid (any more).");
      const current = await storage.getMemberRole(workspace.id, user.id);
      // An invitation never lowers a role someone already holds.
      if (!roleAtLeast(current, invitation.role)) {
        await storage.setMember(workspace.id, user.id, invitation.role);
        services.refreshAccess(workspace.id);
      }
      return context.json({ user: publicUser(user), csrfToken, workspace: { ...workspace, role: (await storage.getMemberRole(workspace.id, user.id))! } });
    },
  );
}

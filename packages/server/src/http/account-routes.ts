import { AdminUserPatchBody, ApiError, PasswordChangeBody, PasswordForgotBody, PasswordResetBody, PasswordSetBody, ProfilePatchBody, type AdminUser } from "@cocanvas/protocol";
import { publicUser } from "../accounts/accounts.ts";
import { FailureLimiter } from "../accounts/failure-limiter.ts";
import { hashSecret, newSecret } from "../ids.ts";
import type { Services } from "../services.ts";
import type { UserRow } from "../storage/storage.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { startSession } from "./session-cookie.ts";

/** How long a password reset link works. */
const resetLinkMs = 60 * 60_000;

const adminUser = (user: UserRow): AdminUser => ({ ...publicUser(user), disabledAt: user.disabledAt });

/** Your profile and password; admins manage accounts; "Forgot password?" when email is on. */
export function addAccountRoutes(api: ApiRouter, services: Services) {
  const { accounts, storage, config, mailer, logger } = services;
  const me = (context: ApiContext) => context.get("user")!;
  // At most five reset emails per address an hour, so the form cannot flood someone's inbox.
  const resetRequests = new FailureLimiter(5, 60 * 60_000);

  api.add("patch", "/api/auth/me", { summary: "Change your name or email", body: ProfilePatchBody }, async (context, body) =>
    context.json({ user: publicUser(await accounts.updateProfile(me(context).id, body)) }),
  );

  api.add(
    "post",
    "/api/auth/password",
    { summary: "Change your password (needs the current one); your other sessions end", body: PasswordChangeBody, success: 204 },
    async (context, body) => {
      await accounts.changePassword(me(context).id, body.currentPassword, body.newPassword, context.get("sessionToken"));
      return context.body(null, 204);
    },
  );

  api.add(
    "post",
    "/api/auth/password/forgot",
    { summary: "Email a password reset link (when email is set up); answers the same whether or not the account exists", auth: "none", body: PasswordForgotBody, success: 202 },
    async (context, body) => {
      if (!mailer.configured) {
        return context.json({ sent: false, message: "Email is not set up on this server. Ask your admin to reset your password." }, 202);
      }
      const user = await storage.getUserByEmail(body.email);
      if (user && !user.disabledAt && !resetRequests.isBlocked(user.id)) {
        resetRequests.recordFailure(user.id);
        const token = newSecret();
        await storage.accounts.createPasswordReset(hashSecret(token), user.id, new Date(Date.now() + resetLinkMs).toISOString());
        const link = `${config.publicUrl || new URL(context.req.url).origin}/reset-password/${token}`;
        // Not awaited: answering at once for known and unknown emails alike keeps timing from telling them apart.
        void mailer
          .send({
            to: user.email,
            subject: "Reset your Cocanvas password",
            text: `Someone asked to reset the password of your Cocanvas account (${user.email}).\n\nChoose a new password here within the hour:\n${link}\n\nIf it was not you, ignore this email: your password stays as it is.`,
          })
          .catch((error) => logger.warn({ err: error }, "password reset email not sent"));
      }
      return context.json({ sent: true, message: "If an account exists for that email, a reset link was sent. It works for one hour." }, 202);
    },
  );

  api.add(
    "post",
    "/api/auth/password/reset",
    { summary: "Set a new password with a reset link's token (once); ends every other session and signs you in", auth: "none", body: PasswordResetBody },
    async (context, body) => {
      const userId = await storage.accounts.usePasswordReset(hashSecret(body.token));
      const user = userId ? await storage.getUserById(userId) : null;
      if (!user || user.disabledAt) throw new ApiError("invalid_request", "token: this reset link is not valid (any more). Ask for a new one.");
      await accounts.setPassword(user.id, body.password);
      services.closeUserConnections(user.id);
      const csrfToken = await startSession(context, services, user.id);
      return context.json({ user: publicUser(user), csrfToken });
    },
  );

  api.add("get", "/api/admin/users", { summary: "Every account", auth: "admin" }, async (context) =>
    context.json({ items: (await storage.listUsers()).map(adminUser) }),
  );

  const target = async (context: ApiContext) => {
    const user = await storage.getUserById(context.req.param("id")!);
    if (!user) throw new ApiError("not_found", "No such account.");
    return user;
  };

  api.add(
    "patch",
    "/api/admin/users/{id}",
    { summary: "Disable or enable an account (disabled: sign-in refused, sessions, tokens and live connections end at once)", auth: "admin", body: AdminUserPatchBody },
    async (context, body) => {
      const user = await target(context);
      if (body.disabled && user.id === me(context).id) throw new ApiError("conflict", "You cannot disable your own account.");
      await accounts.setDisabled(user.id, body.disabled);
      if (body.disabled) services.closeUserConnections(user.id);
      return context.json(adminUser((await storage.getUserById(user.id))!));
    },
  );

  api.add(
    "post",
    "/api/admin/users/{id}/password",
    { summary: "Set a new password for someone (their sessions end)", auth: "admin", body: PasswordSetBody, success: 204 },
    async (context, body) => {
      const user = await target(context);
      await accounts.setPassword(user.id, body.password, user.id === me(context).id ? context.get("sessionToken") : null);
      if (user.id !== me(context).id) services.closeUserConnections(user.id);
      return context.body(null, 204);
    },
  );

  api.add(
    "delete",
    "/api/admin/users/{id}",
    { summary: "Delete an account (workspaces only they belong to go with it)", auth: "admin", success: 204 },
    async (context) => {
      const user = await target(context);
      if (user.id === me(context).id) throw new ApiError("conflict", "You cannot delete your own account here.");
      const canvases = [];
      for (const workspace of await storage.listWorkspacesOf(user.id)) {
        canvases.push(...(await storage.listCanvases(workspace.id)), ...(await storage.listCanvases(workspace.id, { trash: true })));
      }
      const deletedWorkspaces = new Set(await accounts.deleteUser(user.id));
      for (const canvas of canvases) if (deletedWorkspaces.has(canvas.workspaceId)) services.closeConnections(canvas.id);
      services.closeUserConnections(user.id);
      return context.body(null, 204);
    },
  );
}

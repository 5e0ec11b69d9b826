import { ApiError, LoginBody, SettingsPatchBody, SignupBody, TokenCreateBody } from "@cocanvas/protocol";
import { deleteCookie } from "hono/cookie";
import { publicUser } from "../accounts/accounts.ts";
import { SignInLimits } from "../accounts/sign-in-limits.ts";
import type { Services } from "../services.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { sessionCookie } from "./cookies.ts";
import { startSession as startSessionCookie } from "./session-cookie.ts";

export function addAuthRoutes(api: ApiRouter, services: Services) {
  const { accounts, storage, config } = services;
  // Wrong passwords are limited per email and address, per address, and server-wide (sign-in-limits.ts).
  const limits = new SignInLimits({ perAddress: config.loginFailuresPerAddress, serverWide: config.loginFailuresServerWide });
  const clientAddress = (context: ApiContext) =>
    (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? "";

  const startSession = (context: ApiContext, userId: string) => startSessionCookie(context, services, userId);

  api.add("get", "/api/auth/config", { summary: "Whether sign-up is open", auth: "none" }, async (context) =>
    context.json({
      signupAllowed: await accounts.signupAllowed(),
      needsFirstUser: (await storage.countUsers()) === 0,
      // Whether "Forgot password?" can email a link, or should say to ask an admin.
      emailConfigured: services.mailer.configured,
    }),
  );

  api.add("post", "/api/auth/signup", { summary: "Create an account and sign in", auth: "none", body: SignupBody, success: 201 }, async (context, body) => {
    const address = clientAddress(context);
    limits.check(address, body.email);
    const user = await accounts.createUser(body).catch((error) => {
      // A taken email counts like a wrong password, so probing for accounts is limited like guessing.
      if (error instanceof ApiError && error.code === "conflict") limits.recordFailure(address, body.email);
      throw error;
    });
    const csrfToken = await startSession(context, user.id);
    return context.json({ user: publicUser(user), csrfToken }, 201);
  });

  api.add("post", "/api/auth/login", { summary: "Sign in", auth: "none", body: LoginBody }, async (context, body) => {
    const address = clientAddress(context);
    limits.check(address, body.email);
    const user = await accounts.authenticate(body.email, body.password).catch((error) => {
      limits.recordFailure(address, body.email);
      throw error;
    });
    limits.recordSuccess(address, body.email);
    const csrfToken = await startSession(context, user.id);
    return context.json({ user: publicUser(user), csrfToken });
  });

  api.add("post", "/api/auth/logout", { summary: "Sign out (ends this session)", success: 204 }, async (context) => {
    const token = context.get("sessionToken");
    if (token) {
      await accounts.endSession(token);
      await services.closeRevokedConnections(context.get("user")!.id);
    }
    services.events.credentialsChanged(context.get("user")!.id);
    deleteCookie(context, sessionCookie, { path: "/" });
    return context.body(null, 204);
  });

  api.add("get", "/api/auth/me", { summary: "The signed-in user" }, (context) =>
    context.json({ user: publicUser(context.get("user")!), csrfToken: context.get("csrfToken") }),
  );

  api.add("get", "/api/tokens", { summary: "Your API tokens" }, async (context) =>
    context.json({ items: (await storage.listTokens(context.get("user")!.id)).map(({ userId: _, ...token }) => token) }),
  );

  api.add("post", "/api/tokens", { summary: "Create an API token (shown once)", body: TokenCreateBody, success: 201 }, async (context, body) =>
    context.json(await accounts.createApiToken(context.get("user")!.id, body.name), 201),
  );

  api.add("delete", "/api/tokens/{id}", { summary: "Revoke an API token", success: 204 }, async (context) => {
    if (!(await storage.deleteToken(context.get("user")!.id, context.req.param("id")!))) throw new ApiError("not_found", "No such token.");
    await services.closeRevokedConnections(context.get("user")!.id);
    services.events.credentialsChanged(context.get("user")!.id);
    return context.body(null, 204);
  });

  api.add("get", "/api/admin/settings", { summary: "Server settings", auth: "admin" }, async (context) =>
    context.json({ allowSignup: await accounts.signupAllowed() }),
  );

  api.add("patch", "/api/admin/settings", { summary: "Change server settings", auth: "admin", body: SettingsPatchBody }, async (context, body) => {
    await accounts.setSignupAllowed(body.allowSignup);
    return context.json({ allowSignup: body.allowSignup });
  });
}

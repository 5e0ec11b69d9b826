import { setCookie } from "hono/cookie";
import type { Services } from "../services.ts";
import type { ApiContext } from "./api-router.ts";
import { sessionCookie } from "./cookies.ts";

/** Starts a session for `userId` and sets its cookie; returns the session's CSRF token. */
export async function startSession(context: ApiContext, services: Pick<Services, "accounts" | "config">, userId: string): Promise<string> {
  const session = await services.accounts.createSession(userId);
  setCookie(context, sessionCookie, session.token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: services.config.secureCookies,
    path: "/",
    expires: session.expiresAt,
  });
  return session.csrfToken;
}

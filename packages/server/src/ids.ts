import { createHash, randomBytes } from "node:crypto";

/** A new random id: 16 URL-safe characters (96 bits). */
export const newId = () => randomBytes(12).toString("base64url");

/** A new secret: 43 URL-safe characters (256 bits), with an optional prefix naming its kind. */
export const newSecret = (prefix = "") => prefix + randomBytes(32).toString("base64url");

/** Secrets (session, API, share, invitation and reset tokens) are stored only as this hash. */
export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("base64url");

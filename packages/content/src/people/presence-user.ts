import { colorForUser } from "./person-color.ts";

/**
 * What each client publishes in awareness as `user`, read by carets, cursors and the
 * presence bar. The server writes it from the account of the connection, whatever the
 * client sent, so nobody can appear under another person's name.
 */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  /** A translucent `color` for selections (y-codemirror.next reads it). */
  colorLight: string;
}

export function presenceUser(user: { id: string; name: string }): PresenceUser {
  const color = colorForUser(user.id);
  return { id: user.id, name: user.name, color, colorLight: `${color}33` };
}

/** What each client publishes in awareness as `user`, read by carets, cursors and the presence bar. */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  /** A translucent `color` for selections (y-codemirror.next reads it). */
  colorLight: string;
}

// Readable on white, and distinct enough from each other.
const palette = ["#e03131", "#2b8a3e", "#1971c2", "#ae3ec9", "#f08c00", "#0c8599", "#c2255c", "#5f3dc4", "#66a80f", "#364fc7", "#a0522d", "#495057"];

/** The same colour for a user id on every device and every visit. */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (const character of userId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? "#1971c2";
}

export function presenceUser(user: { id: string; name: string }): PresenceUser {
  const color = colorForUser(user.id);
  return { id: user.id, name: user.name, color, colorLight: `${color}33` };
}

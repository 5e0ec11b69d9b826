// Readable on white, and distinct enough from each other.
const palette = ["#e03131", "#2b8a3e", "#1971c2", "#ae3ec9", "#f08c00", "#0c8599", "#c2255c", "#5f3dc4", "#66a80f", "#364fc7", "#a0522d", "#495057"];

/**
 * A person's colour: the same for a user id on every device, in carets, presence, chat
 * and comments, whether the browser or the server writes it.
 */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (const character of userId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? "#1971c2";
}

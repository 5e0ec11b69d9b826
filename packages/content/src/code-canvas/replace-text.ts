import type * as Y from "yjs";

/**
 * Makes a Y.Text read `next` by rewriting only the span between the longest common
 * prefix and suffix, so edits of other clients elsewhere in the text (and their cursors)
 * are left alone. Runs in one transaction (or in the caller's, when there is one).
 */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  const limit = Math.min(current.length, next.length);
  let prefix = 0;
  while (prefix < limit && current.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && current.charCodeAt(current.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)) suffix++;
  // Never split a surrogate pair: Yjs counts UTF-16 code units, as JavaScript does.
  if (prefix > 0 && isHighSurrogate(current.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(current.charCodeAt(current.length - suffix))) suffix--;
  const deleteLength = current.length - prefix - suffix;
  const insert = next.slice(prefix, next.length - suffix);
  const apply = () => {
    if (deleteLength > 0) text.delete(prefix, deleteLength);
    if (insert !== "") text.insert(prefix, insert);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

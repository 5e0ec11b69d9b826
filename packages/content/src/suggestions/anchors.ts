import * as Y from "yjs";

/**
 * Which way an anchor sticks when text is typed exactly at it: `start` sticks to the
 * character after it (typing there lands before the anchor), `end` to the character
 * before it (typing there lands after the anchor). So a range anchored start…end never
 * grows when someone types right before or right after it.
 */
export type AnchorSide = "start" | "end";

/** A position inside a Yjs type: the `index`-th gap of `type` (characters or children). */
export interface TypePosition {
  type: Y.AbstractType<any>;
  index: number;
}

export function encodeAnchor(position: TypePosition, side: AnchorSide): Uint8Array {
  return Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(position.type, position.index, side === "start" ? 0 : -1));
}

/** The type and index an anchor points at now, or null when it points nowhere (or is not an anchor). */
export function decodeAnchor(doc: Y.Doc, anchor: Uint8Array): TypePosition | null {
  try {
    const position = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(anchor), doc);
    return position ? { type: position.type, index: position.index } : null;
  } catch {
    return null;
  }
}

/** True when `type` is `root` or lives under it and neither it nor any parent was deleted. */
export function isLiveInside(type: Y.AbstractType<any>, root: Y.AbstractType<any>): boolean {
  let current: Y.AbstractType<any> = type;
  while (current !== root) {
    const item = current._item;
    if (!item || item.deleted || !(item.parent instanceof Y.AbstractType)) return false;
    current = item.parent;
  }
  return true;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

import * as Y from "yjs";
import { docFragmentName } from "@cocanvas/content";

/** The image type of `bytes` by its magic number, or null. SVG is refused (it can carry script). */
export function detectImageType(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/gif" | "image/webp" | null {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return "image/webp";
  return null;
}

/** An image `src` that names an upload of this server (relative, or with an origin before it). */
const uploadSrc = /^(.*\/api\/uploads\/)([\w-]{1,64})$/;

/**
 * A doc canvas state whose images name new upload ids: `renamed` maps old ids to new
 * ones; images naming an upload outside the map are left as they are (they show only to
 * people who may see that upload anyway). Returns `state` unchanged when nothing is renamed.
 */
export function renameUploadsInState(state: Uint8Array, renamed: ReadonlyMap<string, string>): Uint8Array {
  if (renamed.size === 0) return state;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    let changed = false;
    const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
      for (const child of parent.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue;
        const match = uploadSrc.exec(String(child.getAttribute("src") ?? ""));
        const newId = match && renamed.get(match[2]!);
        if (match && newId) {
          child.setAttribute("src", `${match[1]}${newId}`);
          changed = true;
        }
        visit(child);
      }
    };
    doc.transact(() => visit(doc.getXmlFragment(docFragmentName)));
    return changed ? Y.encodeStateAsUpdate(doc) : state;
  } finally {
    doc.destroy();
  }
}

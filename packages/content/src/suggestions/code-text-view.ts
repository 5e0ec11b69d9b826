import * as Y from "yjs";
import { codeFilesName, findCodeFileByPath } from "../code-canvas/code-files.ts";
import { clamp, decodeAnchor, encodeAnchor, isLiveInside } from "./anchors.ts";
import type { TargetTextView } from "./text-view.ts";

/** The content of the code file at `path`, or null when there is none. */
export function codeFileText(doc: Y.Doc, path: string): Y.Text | null {
  const file = findCodeFileByPath(doc, path);
  const entry = file ? doc.getMap(codeFilesName).get(file.id) : null;
  const content = entry instanceof Y.Map ? entry.get("content") : null;
  return content instanceof Y.Text ? content : null;
}

/**
 * The code file an anchor points into, whatever its path is now (files can be renamed
 * after a suggestion was made), or null when it points into no live file.
 */
export function codeFileTextOfAnchor(doc: Y.Doc, anchor: Uint8Array | null): Y.Text | null {
  const position = anchor ? decodeAnchor(doc, anchor) : null;
  if (!position || !(position.type instanceof Y.Text)) return null;
  return isLiveInside(position.type, doc.getMap(codeFilesName)) ? position.type : null;
}

/** The current path of the file whose content is `text`. */
export function pathOfCodeFileText(text: Y.Text): string | null {
  const file = text.parent;
  const path = file instanceof Y.Map ? file.get("path") : null;
  return typeof path === "string" ? path : null;
}

/** A code file's text: offsets are offsets in the file's Y.Text (and so in CodeMirror). */
export function codeTextView(text: Y.Text): TargetTextView {
  const doc = text.doc!;
  const content = text.toString();
  return {
    text: content,
    anchor: (offset, side) => encodeAnchor({ type: text, index: clamp(offset, 0, content.length) }, side),
    resolve(anchor) {
      const position = decodeAnchor(doc, anchor);
      return position && position.type === text && isLiveInside(text, doc.getMap(codeFilesName)) ? position.index : null;
    },
    replace(from, to, replacement) {
      if (to > from) text.delete(from, to - from);
      if (replacement !== "") text.insert(from, replacement);
      const end = from + replacement.length;
      return {
        from: encodeAnchor({ type: text, index: from }, replacement === "" ? "end" : "start"),
        to: encodeAnchor({ type: text, index: end }, "end"),
      };
    },
  };
}

import type * as Y from "yjs";
import { listCodeFiles } from "../code-canvas/code-files.ts";
import { readDocMarkdown } from "../doc-canvas/doc-canvas.ts";
import type { CanvasKind } from "./canvas-kind.ts";

/**
 * A canvas as readable text, the form versions are compared in: Markdown for a doc; for
 * code, every file (sorted by path) as a header line `── path (language) ──` followed by
 * its content, with a blank line between files.
 *
 * @example
 * ```ts
 * canvasText(document, "code");
 * // "── src/main.ts (typescript) ──\nconsole.log(1);\n\n── README.md (markdown) ──\n…"
 * ```
 */
export function canvasText(ydoc: Y.Doc, kind: CanvasKind): string {
  if (kind === "doc") return readDocMarkdown(ydoc);
  return listCodeFiles(ydoc)
    .map((file) => {
      const content = file.content === "" || file.content.endsWith("\n") ? file.content : `${file.content}\n`;
      return `── ${file.path} (${file.language || "plaintext"}) ──\n${content}`;
    })
    .join("\n");
}

import { ApiError, type CanvasKind, type CodeFile } from "@cocanvas/protocol";
import { addCodeFile, canvasText, docFromState, listCodeFiles, readDocMarkdown, suggestionTextView, writeCodeFiles, writeDocMarkdown } from "@cocanvas/content";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { CanvasRow } from "../storage/storage.ts";

/** The file a new code canvas starts with. */
export const firstCodeFile = { path: "main.ts", language: "typescript", content: "" };

/** Initial content of a new canvas: empty, imported Markdown, or imported files. */
export type InitialContent = { markdown: string } | { files: CodeFile[] } | null;

export async function writeInitialContent(documents: LiveDocuments, canvas: CanvasRow, initial: InitialContent): Promise<void> {
  await documents.changeDocument(canvas.id, (document) => {
    if (canvas.kind === "doc" && initial && "markdown" in initial) writeDocMarkdown(document, initial.markdown);
    if (canvas.kind === "code") {
      if (initial && "files" in initial) writeCodeFiles(document, initial.files);
      else addCodeFile(document, firstCodeFile);
    }
  });
}

/** The canvas rendered as text: Markdown for a doc, every file with a header for code. */
export function canvasAsText(state: Uint8Array, kind: CanvasKind): string {
  return canvasText(docFromState(state), kind);
}

export function docAsMarkdown(state: Uint8Array): string {
  return readDocMarkdown(docFromState(state));
}

export function codeFiles(state: Uint8Array): CodeFile[] {
  return listCodeFiles(docFromState(state)).map(({ path, language, content }) => ({ path, language, content }));
}

/** Export in a named format: `md` for docs, `json` (all files) or `text` (one file) for code. */
export function exportCanvas(canvas: CanvasRow, state: Uint8Array, format: string, file?: string): { body: string; type: string; filename: string } {
  const base = canvas.title.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "canvas";
  if (canvas.kind === "doc") {
    if (format === "text") {
      // The plain text that selections' character offsets count in (textblocks joined with "\n").
      const doc = docFromState(state);
      try {
        return { body: suggestionTextView(doc, { kind: "doc" }).text, type: "text/plain; charset=utf-8", filename: `${base}.txt` };
      } finally {
        doc.destroy();
      }
    }
    if (format !== "md") throw new ApiError("invalid_request", "Doc canvases export as format=md or format=text.");
    return { body: docAsMarkdown(state), type: "text/markdown; charset=utf-8", filename: `${base}.md` };
  }
  const files = codeFiles(state);
  if (format === "json") return { body: JSON.stringify({ files }, null, 2), type: "application/json", filename: `${base}.json` };
  if (format === "text") {
    const match = files.find((candidate) => candidate.path === file);
    if (!match) throw new ApiError("not_found", `No file ${JSON.stringify(file ?? "")} in this canvas.`);
    return { body: match.content, type: "text/plain; charset=utf-8", filename: match.path.split("/").pop()! };
  }
  throw new ApiError("invalid_request", "Code canvases export as format=json, or format=text&file=<path>.");
}

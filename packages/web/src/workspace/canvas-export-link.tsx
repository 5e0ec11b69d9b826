import type { Canvas } from "@cocanvas/protocol";
import { safeFileName } from "../ui/download.ts";

/** Downloads a canvas: Markdown for documents, JSON of the files for code. */
export function CanvasExportLink({ canvas }: { canvas: Pick<Canvas, "id" | "kind" | "title"> }) {
  const isDoc = canvas.kind === "doc";
  const format = isDoc ? "md" : "json";
  return (
    <a className="button quiet" href={`/api/canvases/${canvas.id}/export?format=${format}`} download={`${safeFileName(canvas.title)}.${format}`} data-testid="export-canvas">
      {isDoc ? "Export .md" : "Export JSON"}
    </a>
  );
}

import type { Canvas, CodeFile } from "@cocanvas/protocol";
import type { ChangeEvent } from "react";
import { navigate } from "../app/router.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction } from "../ui/use-resource.ts";

interface ImportCanvasProps {
  onImportMarkdown(title: string, markdown: string): Promise<Canvas>;
  onImportFiles(title: string, files: CodeFile[]): Promise<Canvas>;
}

const withoutExtension = (fileName: string) => fileName.replace(/\.[^.]+$/, "") || fileName;

/** Turns a Markdown file into a document canvas, or source files into a code canvas. */
export function ImportCanvas({ onImportMarkdown, onImportFiles }: ImportCanvasProps) {
  const action = useAction();

  async function importMarkdown(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const canvas = await action.run(async () => onImportMarkdown(withoutExtension(file.name), await file.text()));
    if (canvas) navigate(`/c/${canvas.id}`);
  }

  async function importFiles(event: ChangeEvent<HTMLInputElement>) {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = "";
    if (chosen.length === 0) return;
    const canvas = await action.run(async () => {
      // Loaded on demand: the file helpers live with the editor schema.
      const { languageForPath } = await import("@cocanvas/content");
      const files = await Promise.all(
        chosen.map(async (file) => {
          const path = file.webkitRelativePath || file.name;
          return { path, language: languageForPath(path), content: await file.text() };
        }),
      );
      const title = chosen.length === 1 && chosen[0] ? withoutExtension(chosen[0].name) : "Imported files";
      return onImportFiles(title, files);
    });
    if (canvas) navigate(`/c/${canvas.id}`);
  }

  return (
    <div className="import-row">
      <span className="muted small">Import:</span>
      <label className="file-button">
        Markdown → document
        <input type="file" accept=".md,.markdown,text/markdown,text/plain" onChange={importMarkdown} data-testid="import-markdown-input" />
      </label>
      <label className="file-button">
        Files → code
        <input type="file" multiple onChange={importFiles} data-testid="import-code-input" />
      </label>
      <ErrorBanner message={action.error} />
    </div>
  );
}

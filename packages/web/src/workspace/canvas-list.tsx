import type { CanvasKind, Workspace } from "@cocanvas/protocol";
import { useState, type FormEvent } from "react";
import { navigate } from "../app/router.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { hasRole } from "../ui/roles.ts";
import { useAction } from "../ui/use-resource.ts";
import { CanvasRow } from "./canvas-row.tsx";
import { ImportCanvas } from "./import-canvas.tsx";
import { useCanvases } from "./use-canvases.ts";

/** The canvases of a workspace (or its trash) with search, create, rename, delete and import. */
export function CanvasList({ workspace, trash }: { workspace: Workspace; trash: boolean }) {
  const [query, setQuery] = useState("");
  const [title, setTitle] = useState("");
  const canvases = useCanvases(workspace.id, { query, trash });
  const action = useAction();
  const canWrite = hasRole(workspace.role, "editor");
  const isOwner = hasRole(workspace.role, "owner");

  async function create(kind: CanvasKind, event?: FormEvent) {
    event?.preventDefault();
    const fallback = kind === "doc" ? "Untitled document" : "Untitled code";
    const canvas = await action.run(() => canvases.create(title.trim() || fallback, kind));
    if (canvas) navigate(`/c/${canvas.id}`);
  }

  return (
    <section className="canvas-list-section">
      <div className="canvas-toolbar">
        <input type="search" placeholder="Search by title" value={query} onChange={(event) => setQuery(event.target.value)} aria-label="Search canvases by title" data-testid="canvas-search" />
        {canWrite && !trash && (
          <form className="inline-form" onSubmit={(event) => create("doc", event)}>
            <input placeholder="Title of a new canvas" value={title} onChange={(event) => setTitle(event.target.value)} aria-label="New canvas title" data-testid="new-canvas-title" />
            <button type="submit" className="primary" disabled={action.busy} data-testid="create-doc">
              New document
            </button>
            <button type="button" disabled={action.busy} onClick={() => create("code")} data-testid="create-code">
              New code
            </button>
          </form>
        )}
      </div>
      {canWrite && !trash && <ImportCanvas onImportMarkdown={canvases.importMarkdown} onImportFiles={canvases.importFiles} />}
      <ErrorBanner message={action.error ?? canvases.error} />
      {canvases.canvases?.length === 0 && (
        <p className="empty" data-testid="canvas-list-empty">
          {trash ? "The trash is empty." : query ? "No canvas has that title." : "No canvases yet."}
        </p>
      )}
      <ul className="canvas-list" data-testid={trash ? "trash-list" : "canvas-list"}>
        {canvases.canvases?.map((canvas) => (
          <CanvasRow
            key={canvas.id}
            canvas={canvas}
            trash={trash}
            canWrite={canWrite}
            isOwner={isOwner}
            onRename={(next) => action.run(() => canvases.rename(canvas.id, next))}
            onTrash={() => action.run(() => canvases.moveToTrash(canvas.id))}
            onRestore={() => action.run(() => canvases.restore(canvas.id))}
            onDeleteForever={() => action.run(() => canvases.deleteForever(canvas.id))}
          />
        ))}
      </ul>
    </section>
  );
}

import type { Canvas } from "@cocanvas/protocol";
import { useState, type FormEvent } from "react";
import { CanvasKindIcon } from "../ui/canvas-kind-icon.tsx";
import { formatTime } from "../ui/format-time.ts";
import { Link } from "../ui/link.tsx";
import { CanvasExportLink } from "./canvas-export-link.tsx";

interface CanvasRowProps {
  canvas: Canvas;
  trash: boolean;
  canWrite: boolean;
  isOwner: boolean;
  onRename(title: string): Promise<unknown>;
  onTrash(): Promise<unknown>;
  onRestore(): Promise<unknown>;
  onDeleteForever(): Promise<unknown>;
}

/** One canvas in a list, with the actions the caller's role allows. */
export function CanvasRow({ canvas, trash, canWrite, isOwner, onRename, onTrash, onRestore, onDeleteForever }: CanvasRowProps) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(canvas.title);

  async function saveTitle(event: FormEvent) {
    event.preventDefault();
    setRenaming(false);
    if (draft.trim() && draft.trim() !== canvas.title) await onRename(draft.trim());
  }

  return (
    <li className="canvas-row" data-testid="canvas-row" data-canvas-id={canvas.id}>
      <CanvasKindIcon kind={canvas.kind} />
      {renaming ? (
        <form onSubmit={saveTitle} className="canvas-title">
          <input
            autoFocus
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => event.key === "Escape" && setRenaming(false)}
            aria-label="Canvas title"
            data-testid="rename-canvas-input"
          />
        </form>
      ) : trash ? (
        <span className="canvas-title" title={canvas.title} data-testid="canvas-title">{canvas.title}</span>
      ) : (
        <Link href={`/c/${canvas.id}`} className="canvas-title" title={canvas.title} data-testid="canvas-link">
          {canvas.title}
        </Link>
      )}
      <span className="muted small">{formatTime(trash ? canvas.deletedAt : canvas.updatedAt)}</span>
      <div className="row-actions">
        {trash ? (
          <>
            {canWrite && (
              <button type="button" onClick={onRestore} data-testid="restore-canvas">
                Restore
              </button>
            )}
            {isOwner && (
              <button type="button" className="danger-quiet" onClick={() => window.confirm(`Delete “${canvas.title}” forever?`) && onDeleteForever()} data-testid="delete-forever">
                Delete forever
              </button>
            )}
          </>
        ) : (
          <>
            {canWrite && (
              <button type="button" className="quiet" onClick={() => { setDraft(canvas.title); setRenaming(true); }} data-testid="rename-canvas">
                Rename
              </button>
            )}
            <CanvasExportLink canvas={canvas} />
            {canWrite && (
              <button type="button" className="danger-quiet" onClick={onTrash} data-testid="trash-canvas">
                Move to trash
              </button>
            )}
          </>
        )}
      </div>
    </li>
  );
}

import type { CodeFileSnapshot } from "@cocanvas/content";
import { useState, type FormEvent } from "react";

interface FileListProps {
  files: CodeFileSnapshot[];
  selectedId: string | null;
  editable: boolean;
  onSelect(fileId: string): void;
  onAdd(path: string): void;
  onRename(fileId: string, path: string): void;
  onRemove(fileId: string): void;
}

/** The files of a code canvas, with add, rename and delete for editors. */
export function FileList({ files, selectedId, editable, onSelect, onAdd, onRename, onRemove }: FileListProps) {
  const [newPath, setNewPath] = useState("");
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  const taken = (path: string, exceptId?: string) => files.some((file) => file.path === path && file.id !== exceptId);

  function add(event: FormEvent) {
    event.preventDefault();
    const path = newPath.trim();
    if (!path) return;
    if (taken(path)) return setError(`There is already a file named ${path}.`);
    setError(null);
    onAdd(path);
    setNewPath("");
  }

  function saveRename(event: FormEvent, fileId: string) {
    event.preventDefault();
    const path = draft.trim();
    setRenamingId(null);
    if (!path) return;
    if (taken(path, fileId)) return setError(`There is already a file named ${path}.`);
    setError(null);
    onRename(fileId, path);
  }

  return (
    <nav className="file-list" aria-label="Files" data-testid="file-list">
      <ul>
        {files.map((file) => (
          <li key={file.id} className={file.id === selectedId ? "file-row selected" : "file-row"} data-testid="file-row" data-path={file.path}>
            {renamingId === file.id ? (
              <form onSubmit={(event) => saveRename(event, file.id)}>
                <input
                  autoFocus
                  value={draft}
                  onChange={(event) => setDraft(event.target.value)}
                  onBlur={(event) => saveRename(event, file.id)}
                  onKeyDown={(event) => event.key === "Escape" && setRenamingId(null)}
                  aria-label="File path"
                  data-testid="rename-file-input"
                />
              </form>
            ) : (
              <button type="button" className="file-name" title={file.path} onClick={() => onSelect(file.id)} data-testid="file-button">
                {file.path}
              </button>
            )}
            {editable && renamingId !== file.id && (
              <span className="file-actions">
                <button type="button" className="quiet" title="Rename" aria-label={`Rename ${file.path}`} onClick={() => { setDraft(file.path); setRenamingId(file.id); }} data-testid="rename-file">
                  ✎
                </button>
                <button type="button" className="quiet danger-quiet" title="Delete" aria-label={`Delete ${file.path}`} onClick={() => window.confirm(`Delete ${file.path}?`) && onRemove(file.id)} data-testid="delete-file">
                  ✕
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {files.length === 0 && <p className="muted small">No files yet.</p>}
      {editable && (
        <form className="add-file" onSubmit={add}>
          <input placeholder="path/to/file.ts" value={newPath} onChange={(event) => setNewPath(event.target.value)} aria-label="New file path" data-testid="new-file-path" />
          <button type="submit" disabled={!newPath.trim()} data-testid="add-file">
            Add file
          </button>
        </form>
      )}
      {error && <p className="error-banner small" role="alert">{error}</p>}
    </nav>
  );
}

import { useState, type DragEvent } from "react";
import { api } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction, useResource } from "../ui/use-resource.ts";

interface DataTable {
  name: string;
  columns: { name: string; type: string }[];
  rowCount: number;
  source: { fileName: string; format: string; bytes: number; importedAt: string } | null;
}

interface TablePage {
  table: DataTable;
  columns: { name: string; type: string }[];
  rows: unknown[][];
  offset: number;
}

const pageSize = 50;
const dataFiles = ".csv,.tsv,.tab,.json,.ndjson,.jsonl,.parquet";

/** A table name from a file name, the way the server would make one: `Sales 2026.csv` → `sales_2026`. */
function tableNameFor(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, "").toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return (/^[a-z_]/.test(base) ? base : `t_${base}`).slice(0, 63) || "data";
}

/** The workspace's tables: upload files (drop or pick), see their schema and page through rows. */
export function DataTables({ workspaceId, canEdit }: { workspaceId: string; canEdit: boolean }) {
  const tables = useResource(`data:${workspaceId}`, () => api.get<{ items: DataTable[] }>(`/api/workspaces/${workspaceId}/data`));
  const [open, setOpen] = useState<{ name: string; offset: number } | null>(null);
  const page = useResource(open ? `rows:${workspaceId}:${open.name}:${open.offset}` : null, () =>
    api.get<TablePage>(`/api/workspaces/${workspaceId}/data/${open!.name}?offset=${open!.offset}&limit=${pageSize}`),
  );
  const upload = useAction();
  const [dragging, setDragging] = useState(false);

  async function importFiles(files: File[]) {
    for (const file of files) {
      const table = tableNameFor(file.name);
      const done = await upload.run(() => api.putFile<DataTable>(`/api/workspaces/${workspaceId}/data/${table}?fileName=${encodeURIComponent(file.name)}`, file));
      if (done) setOpen({ name: done.name, offset: 0 });
    }
    await tables.reload();
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    if (canEdit) void importFiles(Array.from(event.dataTransfer.files));
  }

  return (
    <div className="data-tables" data-testid="data-tables" onDragOver={(event) => { event.preventDefault(); setDragging(canEdit); }} onDragLeave={() => setDragging(false)} onDrop={drop}>
      {canEdit && (
        <div className={dragging ? "data-drop dragging" : "data-drop"}>
          <span className="muted">Drop CSV, TSV, JSON, NDJSON or Parquet files here, or</span>
          <label className="file-button">
            {upload.busy ? "Importing…" : "Choose files"}
            <input type="file" multiple accept={dataFiles} disabled={upload.busy} onChange={(event) => { const files = Array.from(event.target.files ?? []); event.target.value = ""; void importFiles(files); }} data-testid="data-upload-input" />
          </label>
        </div>
      )}
      <ErrorBanner message={upload.error ?? tables.error} />
      {tables.data?.items.length === 0 && <p className="muted">No tables yet.{canEdit ? " Upload a file to make one." : ""}</p>}
      <ul className="data-table-list">
        {tables.data?.items.map((table) => (
          <li key={table.name} data-testid="data-table" className={open?.name === table.name ? "selected" : undefined}>
            <button type="button" className="link-button" onClick={() => setOpen({ name: table.name, offset: 0 })}>
              <strong>{table.name}</strong>
            </button>
            <span className="muted small" data-testid="data-table-summary">
              {table.rowCount.toLocaleString()} rows · {table.columns.length} columns
              {table.source && <> · {table.source.fileName}, {formatTime(table.source.importedAt)}</>}
            </span>
          </li>
        ))}
      </ul>
      {open && page.data && (
        <section className="data-preview" data-testid="data-preview" aria-label={`Rows of ${open.name}`}>
          <div className="data-preview-scroll">
            <table>
              <thead>
                <tr>{page.data.columns.map((column) => <th key={column.name} title={column.type}>{column.name}<span className="muted small"> {column.type}</span></th>)}</tr>
              </thead>
              <tbody>
                {page.data.rows.map((row, index) => (
                  <tr key={page.data!.offset + index}>{row.map((value, column) => <td key={column}>{value === null ? <span className="muted">null</span> : String(value)}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="data-pager">
            <button type="button" disabled={open.offset === 0} onClick={() => setOpen({ ...open, offset: Math.max(0, open.offset - pageSize) })}>Previous</button>
            <span className="muted small">
              Rows {page.data.rows.length === 0 ? 0 : open.offset + 1}–{open.offset + page.data.rows.length} of {page.data.table.rowCount.toLocaleString()}
            </span>
            <button type="button" disabled={open.offset + pageSize >= page.data.table.rowCount} onClick={() => setOpen({ ...open, offset: open.offset + pageSize })}>Next</button>
          </div>
        </section>
      )}
      <ErrorBanner message={page.error} />
    </div>
  );
}

import type { Workspace } from "@cocanvas/protocol";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { Link } from "../ui/link.tsx";
import { useAction } from "../ui/use-resource.ts";

interface WorkspaceSidebarProps {
  workspaces: Workspace[] | undefined;
  selectedId: string | null;
  onCreate(name: string): Promise<void>;
  onImport(exported: unknown): Promise<void>;
}

/** The list of workspaces, a form to create one, and workspace import. */
export function WorkspaceSidebar({ workspaces, selectedId, onCreate, onImport }: WorkspaceSidebarProps) {
  const [name, setName] = useState("");
  const action = useAction();

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    await action.run(async () => {
      await onCreate(name.trim());
      setName("");
    });
  }

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    await action.run(async () => {
      let exported: unknown;
      try {
        exported = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not a workspace export (it is not JSON).`);
      }
      await onImport(exported);
    });
  }

  return (
    <section className="sidebar-section">
      <h2 className="sidebar-title">Workspaces</h2>
      <ul className="workspace-list" data-testid="workspace-list">
        {workspaces?.map((workspace) => (
          <li key={workspace.id}>
            <Link
              href={`/w/${workspace.id}`}
              className={workspace.id === selectedId ? "selected" : undefined}
              data-testid="workspace-link"
              data-workspace-id={workspace.id}
              title={workspace.name}
            >
              {workspace.name}
            </Link>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={create}>
        <input placeholder="New workspace" value={name} onChange={(event) => setName(event.target.value)} aria-label="New workspace name" data-testid="new-workspace-name" />
        <button type="submit" disabled={action.busy || !name.trim()} data-testid="create-workspace">
          Add
        </button>
      </form>
      <label className="file-button">
        Import workspace…
        <input type="file" accept=".json,application/json" onChange={importFile} data-testid="import-workspace-input" />
      </label>
      <ErrorBanner message={action.error} />
    </section>
  );
}

import type { Workspace } from "@cocanvas/protocol";
import { useState } from "react";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { InlineEdit } from "../ui/inline-edit.tsx";
import { useAction } from "../ui/use-resource.ts";
import { hasRole } from "../ui/roles.ts";
import { safeFileName } from "../ui/download.ts";
import { CanvasList } from "./canvas-list.tsx";
import { DataTables } from "./data-tables.tsx";
import { InvitationsPanel } from "./invitations-panel.tsx";
import { MembersPanel } from "./members-panel.tsx";
import { WorkspaceModelField } from "./workspace-model-field.tsx";
import { TasksPanel } from "../tasks/tasks-panel.tsx";

type Tab = "canvases" | "data" | "tasks" | "trash" | "members";

const tabLabels: Record<Tab, string> = { canvases: "Canvases", data: "Data", tasks: "Tasks", trash: "Trash", members: "Members" };

interface WorkspaceViewProps {
  workspace: Workspace;
  onRename(name: string): Promise<void>;
  onDelete(): Promise<void>;
}

/** One workspace: its name, its canvases, its trash and its members. */
export function WorkspaceView({ workspace, onRename, onDelete }: WorkspaceViewProps) {
  const [tab, setTab] = useState<Tab>("canvases");
  const isOwner = hasRole(workspace.role, "owner");
  const action = useAction();

  async function confirmDelete() {
    if (window.confirm(`Delete the workspace “${workspace.name}” and all its canvases? This cannot be undone.`)) await action.run(onDelete);
  }

  return (
    <div className="workspace-view" data-testid="workspace-view" data-workspace-id={workspace.id}>
      <div className="workspace-heading">
        <h1>
          <InlineEdit value={workspace.name} onSave={(name) => void action.run(() => onRename(name))} disabled={!isOwner} label="Workspace name" testId="workspace-name" />
        </h1>
        <span className="role-badge" data-testid="workspace-role">{workspace.role}</span>
        <div className="spacer" />
        {isOwner && (
          <>
            <a className="button" href={`/api/workspaces/${workspace.id}/export`} download={`${safeFileName(workspace.name)}.cocanvas.json`} data-testid="export-workspace">
              Export workspace
            </a>
            <button type="button" className="danger-quiet" onClick={confirmDelete} data-testid="delete-workspace">
              Delete
            </button>
          </>
        )}
      </div>
      <ErrorBanner message={action.error} />
      <div className="tabs" role="tablist">
        {(["canvases", "data", "tasks", "trash", "members"] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? "tab selected" : "tab"} onClick={() => setTab(name)} data-testid={`tab-${name}`}>
            {tabLabels[name]}
          </button>
        ))}
      </div>
      {tab === "tasks" ? (
        <TasksPanel workspaceId={workspace.id} />
      ) : tab === "members" ? (
        <>
          <WorkspaceModelField workspaceId={workspace.id} isOwner={isOwner} />
          <MembersPanel workspaceId={workspace.id} isOwner={isOwner} />
          {isOwner && <InvitationsPanel workspaceId={workspace.id} />}
        </>
      ) : tab === "data" ? (
        <DataTables workspaceId={workspace.id} canEdit={hasRole(workspace.role, "editor")} />
      ) : (
        <CanvasList key={tab} workspace={workspace} trash={tab === "trash"} />
      )}
    </div>
  );
}

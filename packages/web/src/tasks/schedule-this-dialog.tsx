import { api } from "../app/api-client.ts";
import { Dialog } from "../ui/dialog.tsx";
import { useResource } from "../ui/use-resource.ts";
import type { Canvas } from "@cocanvas/protocol";
import { TaskForm } from "./task-form.tsx";

/** "Schedule this…" in the AI panel: the request being written becomes a task on this canvas. */
export function ScheduleThisDialog({ workspaceId, canvasId, instruction, agentId, onClose }: { workspaceId: string; canvasId: string; instruction: string; agentId: string; onClose(): void }) {
  const canvases = useResource(`canvases:${workspaceId}`, async () => (await api.get<{ items: Canvas[] }>(`/api/workspaces/${workspaceId}/canvases`)).items);
  return (
    <Dialog title="Schedule this" onClose={onClose} testId="schedule-this-dialog">
      {canvases.data && (
        <TaskForm
          workspaceId={workspaceId}
          canvases={canvases.data}
          initial={{ instruction, canvasId, agentId }}
          onCreate={(body) => api.post(`/api/workspaces/${workspaceId}/tasks`, body)}
          onDone={onClose}
        />
      )}
    </Dialog>
  );
}

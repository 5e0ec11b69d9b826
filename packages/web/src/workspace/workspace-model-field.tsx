import { useEffect, useState, type FormEvent } from "react";
import { api } from "../app/api-client.ts";
import { sourceLabel, type ChosenModel } from "../settings/use-model-settings.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { useAction, useResource } from "../ui/use-resource.ts";

interface WorkspaceModel {
  model: string | null;
  effective: ChosenModel | null;
}

/** The workspace's default model: members see which model AI requests use; owners change it. */
export function WorkspaceModelField({ workspaceId, isOwner }: { workspaceId: string; isOwner: boolean }) {
  const path = `/api/workspaces/${workspaceId}/model`;
  const resource = useResource(path, () => api.get<WorkspaceModel>(path));
  const [spec, setSpec] = useState("");
  const action = useAction();
  useEffect(() => setSpec(resource.data?.model ?? ""), [resource.data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    await action.run(async () => {
      await api.put(path, { model: spec.trim() || null });
      await resource.reload();
    });
  }

  const effective = resource.data?.effective;
  return (
    <section className="workspace-model" data-testid="workspace-model">
      {isOwner && (
        <form className="inline-form" onSubmit={save}>
          <label htmlFor={`model-${workspaceId}`}>Default model</label>
          <input id={`model-${workspaceId}`} value={spec} onChange={(event) => setSpec(event.target.value)} placeholder="provider:model — empty: the server's default" data-testid="workspace-model-input" />
          <button type="submit" disabled={action.busy} data-testid="save-workspace-model">
            Save
          </button>
        </form>
      )}
      <p className="muted small" data-testid="workspace-model-effective">
        {effective ? (
          <>
            AI requests here use <code>{effective.spec}</code> ({sourceLabel[effective.source]}).
          </>
        ) : (
          "No model is configured on this server yet."
        )}
      </p>
      <ErrorBanner message={action.error ?? resource.error} />
    </section>
  );
}

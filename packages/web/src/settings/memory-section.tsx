import { useEffect, useState, type FormEvent } from "react";
import type { MemoryEntry } from "@cocanvas/protocol";
import { useWorkspaces } from "../workspace/use-workspaces.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction } from "../ui/use-resource.ts";
import { useMemory } from "./use-memory.ts";
import "./memory-section.css";

/**
 * What agents remember about you, per workspace: style rules and facts distilled from
 * your decisions on AI suggestions and your requests. Only you see it; edit or delete
 * any entry, forget everything, or reflect on your latest work now.
 */
export function MemorySection() {
  const { workspaces } = useWorkspaces();
  const [workspaceId, setWorkspaceId] = useState<string | null>(null);
  useEffect(() => {
    if (workspaces?.length && !workspaces.some((workspace) => workspace.id === workspaceId)) setWorkspaceId(workspaces[0]!.id);
  }, [workspaces, workspaceId]);
  const memory = useMemory(workspaceId);
  const action = useAction();
  const [note, setNote] = useState<string | null>(null);
  const entries = memory.memory?.items;

  async function reflect() {
    setNote(null);
    const result = await action.run(() => memory.reflect());
    if (!result) return;
    const read = result.evidence.decisions + result.evidence.ratings + result.evidence.requests;
    if (read === 0) setNote("Nothing new since the last reflection.");
    else setNote(result.added.length ? `Learnt ${result.added.length} new ${result.added.length === 1 ? "thing" : "things"}.` : "Nothing new to remember from your latest work.");
  }

  return (
    <section className="card" data-testid="memory-settings">
      <h2>Memory</h2>
      <p className="muted small">
        After you work with agents, they note your style and facts about your work from what you accept, reject and rewrite, and use them in later requests in the same workspace. Only you see your memory.
      </p>
      {workspaces?.length === 0 && <p className="muted small">Join or create a workspace first.</p>}
      {workspaces && workspaces.length > 0 && (
        <div className="inline-form">
          <select value={workspaceId ?? ""} onChange={(event) => setWorkspaceId(event.target.value)} aria-label="Workspace" data-testid="memory-workspace">
            {workspaces.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name}
              </option>
            ))}
          </select>
          <button type="button" className="primary" disabled={action.busy || !workspaceId} onClick={() => void reflect()} data-testid="memory-reflect">
            {action.busy ? "Reflecting…" : "Reflect now"}
          </button>
          {entries && entries.length > 0 && (
            <button
              type="button"
              className="danger-quiet"
              disabled={action.busy}
              onClick={() => window.confirm("Forget everything agents remember about you in this workspace?") && void action.run(() => memory.clear())}
              data-testid="memory-clear"
            >
              Forget all
            </button>
          )}
        </div>
      )}
      {note && (
        <p className="muted small" data-testid="memory-note">
          {note}
        </p>
      )}
      <ErrorBanner message={action.error ?? memory.error} />
      {memory.memory && (
        <p className="muted small" data-testid="memory-reflected-at">
          {memory.memory.reflectedAt ? `Last reflection: ${formatTime(memory.memory.reflectedAt)}` : "No reflection yet."}
        </p>
      )}
      {entries?.length === 0 && <p className="muted small">Nothing remembered in this workspace.</p>}
      <ul className="token-list">
        {entries?.map((entry) => (
          <MemoryRow key={entry.id} entry={entry} busy={action.busy} onSave={(text) => action.run(() => memory.edit(entry, text))} onDelete={() => action.run(() => memory.remove(entry))} />
        ))}
      </ul>
    </section>
  );
}

function MemoryRow({ entry, busy, onSave, onDelete }: { entry: MemoryEntry; busy: boolean; onSave(text: string): Promise<unknown>; onDelete(): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  async function save(event: FormEvent) {
    event.preventDefault();
    if (draft === null) return;
    if (draft.trim() && draft.trim() !== entry.text) await onSave(draft.trim());
    setDraft(null);
  }
  return (
    <li className="token-row memory-row" data-testid="memory-entry" data-kind={entry.kind}>
      <span className="role-badge memory-kind">{entry.kind === "style" ? "style" : "fact"}</span>
      {draft === null ? (
        <span className="memory-text" data-testid="memory-text">
          {entry.text}
        </span>
      ) : (
        <form className="inline-form" onSubmit={save}>
          <input
            autoFocus
            value={draft}
            maxLength={1000}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => event.key === "Escape" && setDraft(null)}
            aria-label="Memory entry"
            data-testid="memory-edit-text"
          />
          <button type="submit" disabled={busy || !draft.trim()} data-testid="memory-save">
            Save
          </button>
        </form>
      )}
      <span className="row-actions">
        {draft === null && (
          <button type="button" className="link-button" disabled={busy} onClick={() => setDraft(entry.text)} data-testid="memory-edit">
            Edit
          </button>
        )}
        <button type="button" className="danger-quiet" disabled={busy} onClick={onDelete} data-testid="memory-delete">
          Delete
        </button>
      </span>
    </li>
  );
}

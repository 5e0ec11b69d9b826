import { useState, type FormEvent } from "react";
import type { SavedQuickActionInput } from "./use-ai.ts";

/** Saves an instruction as a quick action: for yourself, or shared with the workspace. */
export function SaveQuickActionForm({ canvasKind, onSave }: { canvasKind: "doc" | "code"; onSave(input: SavedQuickActionInput): Promise<unknown> }) {
  const [name, setName] = useState("");
  const [prompt, setPrompt] = useState("");
  const [shared, setShared] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || !prompt.trim()) return;
    await onSave({ name: name.trim(), prompt: prompt.trim(), canvasKind, scope: shared ? "workspace" : "user" });
    setName("");
    setPrompt("");
  }

  return (
    <details className="ai-save-quick-action">
      <summary className="small">Save a quick action</summary>
      <form onSubmit={submit} className="stack">
        <input value={name} onChange={(event) => setName(event.target.value)} placeholder="Name, e.g. House style" aria-label="Quick action name" maxLength={80} />
        <textarea value={prompt} onChange={(event) => setPrompt(event.target.value)} placeholder="What the AI should do" aria-label="Quick action prompt" rows={3} maxLength={4000} />
        <label className="small">
          <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} /> Share with the workspace
        </label>
        <button type="submit" disabled={!name.trim() || !prompt.trim()}>
          Save
        </button>
      </form>
    </details>
  );
}

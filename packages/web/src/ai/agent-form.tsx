import { useState, type FormEvent } from "react";
import type { AgentInfo, AgentInput } from "./use-ai.ts";

const personas = ["custom", "writer", "critic", "editor", "coder", "analyst", "researcher"];
/** The server's defaults for a new agent (AgentCreateBody). */
const fresh: AgentInput = { name: "", persona: "custom", instructions: "", model: null, tools: ["edit", "comment"], maxTurns: 8, maxTokens: 60_000, maxSeconds: 180 };

/**
 * The workspace's own agents, and one form to define a new one or change one: a name to
 * @mention, a persona, instructions, what it may do, its model and its budget.
 */
export function WorkspaceAgents({
  agents,
  onCreate,
  onUpdate,
  onDelete,
  canChooseModel,
}: {
  agents: AgentInfo[];
  /** Workspace owners choose an agent's model; others see it but cannot change it. */
  canChooseModel: boolean;
  onCreate(input: AgentInput): Promise<unknown>;
  onUpdate(id: string, input: AgentInput): Promise<unknown>;
  onDelete(id: string): Promise<unknown>;
}) {
  const [editing, setEditing] = useState<AgentInfo | null>(null);
  const [form, setForm] = useState<AgentInput>(fresh);
  const set = <K extends keyof AgentInput>(key: K, value: AgentInput[K]) => setForm((current) => ({ ...current, [key]: value }));
  const hasTool = (tool: AgentInfo["tools"][number]) => form.tools.includes(tool);
  const toggleTool = (tool: AgentInfo["tools"][number], on: boolean) =>
    set("tools", on ? [...form.tools.filter((t) => t !== tool), tool] : form.tools.filter((t) => t !== tool));

  function edit(agent: AgentInfo) {
    setEditing(agent);
    const { name, persona, instructions, model, tools, maxTurns, maxTokens, maxSeconds } = agent;
    setForm({ name, persona, instructions, model, tools, maxTurns, maxTokens, maxSeconds });
  }

  function reset() {
    setEditing(null);
    setForm(fresh);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { ...form, name: form.name.trim(), instructions: form.instructions.trim(), model: form.model?.trim() || null };
    if (!input.name) return;
    const saved = editing ? await onUpdate(editing.id, input) : await onCreate(input);
    if (saved !== undefined) reset(); // undefined: it failed, and the error is on screen; keep what was typed
  }

  const number = (key: "maxTurns" | "maxTokens" | "maxSeconds", label: string, min: number, max: number) => (
    <label className="small">
      {label}
      <input type="number" value={form[key]} min={min} max={max} onChange={(event) => set(key, Number(event.target.value))} aria-label={`Agent ${label}`} />
    </label>
  );

  return (
    <details className="ai-new-agent">
      <summary className="small">Workspace agents</summary>
      {agents.length > 0 && (
        <ul className="ai-agent-list">
          {agents.map((agent) => (
            <li key={agent.id} data-testid="workspace-agent">
              <span className="agent-dot" style={{ background: agent.color }} /> {agent.name}{" "}
              <span className="muted small">
                {agent.persona}
                {agent.model ? ` · ${agent.model}` : ""}
              </span>
              <button type="button" className="quiet small" onClick={() => edit(agent)} aria-label={`Edit agent ${agent.name}`}>
                Edit
              </button>
              <button type="button" className="quiet small" onClick={() => void onDelete(agent.id)} aria-label={`Delete agent ${agent.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="stack">
        {editing && <p className="small muted">Changing {editing.name}</p>}
        <input value={form.name} onChange={(event) => set("name", event.target.value)} placeholder="Name, e.g. Pedant" aria-label="Agent name" maxLength={40} />
        <select value={form.persona} onChange={(event) => set("persona", event.target.value)} aria-label="Persona">
          {personas.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
        <textarea value={form.instructions} onChange={(event) => set("instructions", event.target.value)} placeholder="Custom instructions" aria-label="Agent instructions" rows={3} maxLength={8000} />
        <label className="small">
          <input type="checkbox" checked={hasTool("edit")} onChange={(event) => toggleTool("edit", event.target.checked)} /> Suggests edits
        </label>
        <label className="small">
          <input type="checkbox" checked={hasTool("comment")} onChange={(event) => toggleTool("comment", event.target.checked)} /> Comments
        </label>
        <label className="small">
          <input type="checkbox" checked={hasTool("handoff")} onChange={(event) => toggleTool("handoff", event.target.checked)} /> Hands work to other agents
        </label>
        <label className="small ai-agent-field">
          model
          <input
            value={form.model ?? ""}
            onChange={(event) => set("model", event.target.value)}
            placeholder={canChooseModel ? "the workspace's; or e.g. ollama:llama3.2" : "the workspace's (owners choose models)"}
            disabled={!canChooseModel}
            aria-label="Agent model"
            maxLength={300}
          />
        </label>
        <div className="ai-agent-budget">
          {number("maxTurns", "turns", 1, 50)}
          {number("maxTokens", "tokens", 500, 2_000_000)}
          {number("maxSeconds", "seconds", 5, 3600)}
        </div>
        <div className="ai-agent-actions">
          <button type="submit" disabled={!form.name.trim() || (!hasTool("edit") && !hasTool("comment"))}>
            {editing ? "Save agent" : "Create agent"}
          </button>
          {editing && (
            <button type="button" className="quiet" onClick={reset}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </details>
  );
}

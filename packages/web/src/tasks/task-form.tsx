import { useEffect, useState, type FormEvent } from "react";
import type { Canvas } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction } from "../ui/use-resource.ts";
import { browserTimeZone, useSchedulePreview } from "./use-tasks.ts";

interface TaskFormProps {
  workspaceId: string;
  canvases: Canvas[];
  /** Prefilled from the AI panel's "Schedule this…". */
  initial?: { instruction?: string; canvasId?: string; agentId?: string };
  onCreate(body: object): Promise<unknown>;
  onDone?(): void;
}

/** A new task: what, by which agent, where, and when — with the next five runs shown before saving. */
export function TaskForm({ workspaceId, canvases, initial, onCreate, onDone }: TaskFormProps) {
  const [name, setName] = useState("");
  const [instruction, setInstruction] = useState(initial?.instruction ?? "");
  const [agentId, setAgentId] = useState(initial?.agentId ?? "builtin:writer");
  const [agents, setAgents] = useState<{ id: string; name: string }[]>([]);
  const [targetKind, setTargetKind] = useState<"canvas" | "new-canvas" | "reminder">(initial?.canvasId || canvases.length ? "canvas" : "reminder");
  const [canvasId, setCanvasId] = useState(initial?.canvasId ?? canvases.find((canvas) => canvas.kind === "doc")?.id ?? "");
  const [mode, setMode] = useState<"append" | "suggest">("append");
  const [titleTemplate, setTitleTemplate] = useState("{task} {date}");
  const [scheduleKind, setScheduleKind] = useState<"phrase" | "cron">("phrase");
  const [scheduleText, setScheduleText] = useState("every morning at 7");
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [onlyWhenChanged, setOnlyWhenChanged] = useState(false);
  const [digest, setDigest] = useState(false);
  const schedule = scheduleKind === "phrase" ? { phrase: scheduleText } : { cron: scheduleText };
  const preview = useSchedulePreview(schedule, timeZone);
  const action = useAction();

  useEffect(() => {
    void api.get<{ id: string; name: string }[]>(`/api/workspaces/${workspaceId}/agents`).then(setAgents, () => setAgents([]));
  }, [workspaceId]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const target = targetKind === "canvas" ? { kind: "canvas", canvasId, mode } : targetKind === "new-canvas" ? { kind: "new-canvas", titleTemplate } : { kind: "reminder" };
    const created = await action.run(() =>
      onCreate({ name: name.trim() || instruction.trim().slice(0, 60), instruction, agentId, target, schedule, timeZone, onlyWhenChanged, context: digest ? "workspace-changes" : "none" }),
    );
    if (created) onDone?.();
  }

  return (
    <form className="task-form" onSubmit={submit} data-testid="task-form">
      <label>
        Name <input value={name} onChange={(event) => setName(event.target.value)} placeholder="Morning chapter" data-testid="task-name" />
      </label>
      <label>
        Instruction <textarea value={instruction} onChange={(event) => setInstruction(event.target.value)} required rows={3} data-testid="task-instruction" />
      </label>
      <label>
        Agent{" "}
        <select value={agentId} onChange={(event) => setAgentId(event.target.value)} data-testid="task-agent">
          {(agents.length ? agents : [{ id: agentId, name: agentId }]).map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Writes to</legend>
        <select value={targetKind} onChange={(event) => setTargetKind(event.target.value as typeof targetKind)} data-testid="task-target">
          <option value="canvas">a canvas</option>
          <option value="new-canvas">a new canvas each run</option>
          <option value="reminder">nothing — remind me</option>
        </select>
        {targetKind === "canvas" && (
          <>
            <select value={canvasId} onChange={(event) => setCanvasId(event.target.value)} data-testid="task-canvas">
              {canvases.map((canvas) => (
                <option key={canvas.id} value={canvas.id}>
                  {canvas.title}
                </option>
              ))}
            </select>
            <select value={mode} onChange={(event) => setMode(event.target.value as typeof mode)} data-testid="task-mode">
              <option value="append">append a dated section</option>
              <option value="suggest">suggest edits</option>
            </select>
          </>
        )}
        {targetKind === "new-canvas" && <input value={titleTemplate} onChange={(event) => setTitleTemplate(event.target.value)} aria-label="Title template" />}
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <select value={scheduleKind} onChange={(event) => setScheduleKind(event.target.value as typeof scheduleKind)} aria-label="Schedule kind">
          <option value="phrase">in words</option>
          <option value="cron">cron</option>
        </select>
        <input value={scheduleText} onChange={(event) => setScheduleText(event.target.value)} aria-label="Schedule" data-testid="task-schedule" />
        <input value={timeZone} onChange={(event) => setTimeZone(event.target.value)} aria-label="Time zone" data-testid="task-time-zone" />
        {preview.error ? (
          <p className="form-error" data-testid="task-schedule-error">{preview.error}</p>
        ) : (
          <ol className="task-next-runs" data-testid="task-next-runs">
            {preview.nextRuns.map((at) => (
              <li key={at}>{formatTime(at)}</li>
            ))}
          </ol>
        )}
      </fieldset>
      <label>
        <input type="checkbox" checked={onlyWhenChanged} onChange={(event) => setOnlyWhenChanged(event.target.checked)} /> Only keep when something changed
      </label>
      <label>
        <input type="checkbox" checked={digest} onChange={(event) => setDigest(event.target.checked)} /> Give the agent what changed in the workspace since the last run
      </label>
      <ErrorBanner message={action.error} />
      <button type="submit" className="primary" disabled={action.busy || Boolean(preview.error)} data-testid="task-save">
        Save task
      </button>
    </form>
  );
}

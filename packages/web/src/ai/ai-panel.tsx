import {
  acceptAllSuggestions,
  acceptSuggestion,
  aiAppliesDirectly,
  readChat,
  readSuggestions,
  rejectAllSuggestions,
  rejectSuggestion,
  setAiAppliesDirectly,
  suggestionDecisionOrigin,
  type ChatMessage,
} from "@cocanvas/content";
import type { AiSelection, QuickAction } from "@cocanvas/protocol";
import { useEffect, useState, type FormEvent } from "react";
import type * as Y from "yjs";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { SidePanel } from "../ui/side-panel.tsx";
import { useAction } from "../ui/use-resource.ts";
import { WorkspaceAgents } from "./agent-form.tsx";
import { RunDetailsDialog } from "./run-details-dialog.tsx";
import { ScheduleThisDialog } from "../tasks/schedule-this-dialog.tsx";
import { SaveQuickActionForm } from "./save-quick-action-form.tsx";
import { ModelNotice, useModelStatus } from "./model-setup.tsx";
import { useAi } from "./use-ai.ts";
import { useDocSnapshot } from "./use-doc-snapshot.ts";
import "./ai-panel.css";

/** What the AI would work on right now: the editor's selection, or the whole doc / open file. */
export interface AiTarget {
  selection?: AiSelection;
  path?: string;
  /** For people: "12 selected characters", "the whole document", "main.py". */
  label: string;
}

interface AiPanelProps {
  canvasId: string;
  workspaceId: string | undefined;
  canvasKind: "doc" | "code";
  doc: Y.Doc;
  user: { id: string; name: string };
  /** May change content (decide suggestions, switch apply-directly). */
  editable: boolean;
  /** May ask agents (commenters too: their agents comment but do not edit). */
  canAsk: boolean;
  /** May choose another model for a request (workspace owners: it spends the server's keys). */
  canChooseModel: boolean;
  /** Read when a request is sent, so it is the selection at that moment. */
  currentTarget(): AiTarget;
  onClose(): void;
}

/**
 * The canvas's AI side panel: the shared conversation (it lives in the canvas document,
 * so everyone sees replies stream), quick actions, the suggestions waiting for review,
 * and each run's provenance.
 */
export function AiPanel({ canvasId, workspaceId, canvasKind, doc, user, editable, canAsk, canChooseModel, currentTarget, onClose }: AiPanelProps) {
  const ai = useAi(canvasId, workspaceId);
  const modelStatus = useModelStatus(workspaceId);
  const chat = useDocSnapshot(doc, readChat);
  const suggestions = useDocSnapshot(doc, (d) => readSuggestions(d).filter((s) => s.status === "pending" || s.status === "streaming" || s.status === "stale"));
  const appliesDirectly = useDocSnapshot(doc, aiAppliesDirectly);
  const [instruction, setInstruction] = useState("");
  const [agentId, setAgentId] = useState("builtin:assistant");
  const [scheduling, setScheduling] = useState(false);
  // For this canvas's requests only: another model than the workspace's default.
  const [model, setModel] = useState("");
  const agents = ai.agents.data ?? [];
  // Refresh the activity log whenever a reply settles.
  const settledReplies = chat.filter((message) => message.role === "assistant" && message.status !== "streaming").length;
  const reloadActivity = ai.activity.reload;
  useEffect(() => void reloadActivity(), [settledReplies, reloadActivity]);
  const [params, setParams] = useState<Record<string, string>>({});
  const [detailsOf, setDetailsOf] = useState<string | null>(null);
  // A suggestion whose text the person is rewriting before accepting it.
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const action = useAction();
  const decidedBy = { id: user.id, name: user.name };
  const decide = { origin: suggestionDecisionOrigin };

  /** Sends a request; answers whether the server took it. */
  async function send(request: { instruction?: string; quickAction?: { id: string; param?: string }; agentId?: string }): Promise<boolean> {
    const target = currentTarget();
    const started = await action.run(() => ai.run({ agentId, ...(canChooseModel && model.trim() ? { model: model.trim() } : {}), ...request, selection: target.selection, path: target.path }));
    return started !== undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const typed = instruction.trim();
    if (!typed) return;
    // A request the server refused keeps what was typed, to send again once fixed.
    if (await send({ instruction: typed })) setInstruction((current) => (current.trim() === typed ? "" : current));
  }

  function runQuickAction(quickAction: QuickAction) {
    const param = quickAction.param ? (params[quickAction.id] ?? quickAction.param.options[0]) : undefined;
    void send({ quickAction: { id: quickAction.id, param } });
  }

  return (
    <SidePanel title="AI" className="ai-panel" testId="ai-panel" closeLabel="Close AI panel" onClose={onClose}>
      <ErrorBanner message={action.error ?? ai.quickActions.error} />
      {modelStatus.data && <ModelNotice status={modelStatus.data} onChanged={() => void modelStatus.reload()} />}

      {canAsk && (
        <section className="ai-agent-row" aria-label="Agents">
          <label className="small">
            Ask{" "}
            <select value={agentId} onChange={(event) => setAgentId(event.target.value)} data-testid="agent-select">
              {(agents.length ? agents : [{ id: "builtin:assistant", name: "Assistant" }]).map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void send({ agentId: "builtin:critic", instruction: "Review this. Comment on what is wrong, why, and where." })} disabled={action.busy} data-testid="review-button">
            Review this
          </button>
          {editable && (
            <button type="button" onClick={() => void send({ agentId: "builtin:editor", instruction: "Address the open comment threads, one suggestion per thread." })} disabled={action.busy} data-testid="address-comments-button">
              Address comments
            </button>
          )}
        </section>
      )}
      {!editable && canAsk && <p className="muted small">You can comment here, so the agents you ask comment too; they do not edit.</p>}

      {canAsk && (
        <section className="ai-quick-actions" aria-label="Quick actions">
          {(ai.quickActions.data ?? []).map((quickAction) => (
            <span key={quickAction.id} className="ai-quick-action">
              <button type="button" onClick={() => runQuickAction(quickAction)} disabled={action.busy} data-testid={`quick-action-${quickAction.id}`} title={quickAction.prompt}>
                {quickAction.label}
              </button>
              {quickAction.param && (
                <select
                  aria-label={`${quickAction.label}: ${quickAction.param.label}`}
                  value={params[quickAction.id] ?? quickAction.param.options[0]}
                  onChange={(event) => setParams({ ...params, [quickAction.id]: event.target.value })}
                >
                  {quickAction.param.options.map((option) => (
                    <option key={option}>{option}</option>
                  ))}
                </select>
              )}
              {quickAction.source !== "builtin" && (
                <button type="button" className="quiet small" aria-label={`Delete quick action ${quickAction.label}`} onClick={() => action.run(() => ai.deleteQuickAction(quickAction.id))}>
                  ×
                </button>
              )}
            </span>
          ))}
        </section>
      )}

      <ol className="ai-chat" data-testid="ai-chat">
        {chat.length === 0 && <li className="muted small">Select text and pick a quick action, or ask for anything below.</li>}
        {chat.map((message) => (
          <ChatEntry key={message.id} message={message} canStop={canAsk} onStop={(runId) => action.run(() => ai.stop(runId))} onRate={(runId, rating) => action.run(() => ai.rate(runId, rating))} onDetails={setDetailsOf} />
        ))}
      </ol>

      {suggestions.length > 0 && (
        <section className="ai-suggestions" data-testid="ai-suggestions">
          <div className="ai-suggestions-header">
            <strong>{suggestions.length} to review</strong>
            {editable && (
              <span>
                <button type="button" onClick={() => acceptAllSuggestions(doc, decidedBy, decide)} data-testid="accept-all">
                  Accept all
                </button>
                <button type="button" onClick={() => rejectAllSuggestions(doc, decidedBy, decide)} data-testid="reject-all">
                  Reject all
                </button>
              </span>
            )}
          </div>
          <ul>
            {suggestions.map((suggestion) => (
              <li key={suggestion.id} className="ai-suggestion-item" data-status={suggestion.status} data-testid="suggestion-item">
                <span className="agent-dot" style={{ background: suggestion.agent.color }} />
                <span className="ai-suggestion-summary">
                  {suggestion.oldText && <del>{clip(suggestion.oldText)}</del>} {suggestion.newText && <ins>{clip(suggestion.newText)}</ins>}
                  {suggestion.status === "stale" && <em className="muted small"> — the text changed since; it can no longer be applied</em>}
                </span>
                {editing?.id === suggestion.id && (
                  <textarea
                    className="ai-suggestion-edit"
                    value={editing.text}
                    onChange={(event) => setEditing({ id: suggestion.id, text: event.target.value })}
                    aria-label="Your version of the suggested text"
                    data-testid="suggestion-edit-text"
                    rows={3}
                  />
                )}
                <span className="ai-suggestion-actions">
                  {editable && (suggestion.status === "pending" || suggestion.status === "stopped") && editing?.id !== suggestion.id && (
                    <>
                      <button type="button" onClick={() => acceptSuggestion(doc, suggestion.id, decidedBy, decide)}>
                        Accept
                      </button>
                      <button type="button" onClick={() => setEditing({ id: suggestion.id, text: suggestion.newText })} data-testid="suggestion-edit">
                        Edit
                      </button>
                    </>
                  )}
                  {editing?.id === suggestion.id && (
                    <>
                      <button
                        type="button"
                        className="primary"
                        onClick={() => {
                          acceptSuggestion(doc, suggestion.id, decidedBy, { ...decide, editedText: editing.text });
                          setEditing(null);
                        }}
                        data-testid="suggestion-accept-edited"
                      >
                        Accept my version
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </>
                  )}
                  {editable && suggestion.status !== "streaming" && (
                    <button type="button" onClick={() => rejectSuggestion(doc, suggestion.id, decidedBy, decide)}>
                      {suggestion.status === "stale" ? "Dismiss" : "Reject"}
                    </button>
                  )}
                  <button type="button" className="link-button small" onClick={() => setDetailsOf(suggestion.runId)}>
                    Details
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {canAsk && (
        <>
          <form className="ai-composer" onSubmit={submit}>
            <textarea
              value={instruction}
              onChange={(event) => setInstruction(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey) {
                  event.preventDefault();
                  event.currentTarget.form?.requestSubmit();
                }
              }}
              placeholder={canvasKind === "doc" ? "Ask the AI to edit the selection, or write something new…" : "Ask the AI to change the selected code or the open file…"}
              aria-label="Instruction for the AI"
              data-testid="ai-instruction"
              rows={3}
            />
            <div className="ai-composer-row">
              {canChooseModel && (
                <input
                  value={model}
                  onChange={(event) => setModel(event.target.value)}
                  placeholder="Model: workspace default"
                  title="provider:model for these requests, e.g. openai:gpt-4.1-mini or local:qwen2.5-0.5b-instruct"
                  aria-label="Model for these requests"
                  data-testid="ai-model"
                />
              )}
              {workspaceId && (
                <button type="button" onClick={() => setScheduling(true)} disabled={!instruction.trim()} title="Turn this request into a task that runs on a schedule" data-testid="ai-schedule-this">
                  Schedule this…
                </button>
              )}
              <button type="submit" className="primary" disabled={action.busy || !instruction.trim()} data-testid="ai-send">
                Send
              </button>
            </div>
          </form>
          {editable && (
            <label className="ai-apply-directly small">
              <input type="checkbox" checked={appliesDirectly} onChange={(event) => setAiAppliesDirectly(doc, event.target.checked)} data-testid="ai-apply-directly" />
              Apply AI changes directly instead of suggesting them
            </label>
          )}
          <SaveQuickActionForm canvasKind={canvasKind} onSave={(input) => action.run(() => ai.saveQuickAction(input))} />
          {editable && (
            <WorkspaceAgents
              agents={agents.filter((agent) => !agent.builtin)}
              onCreate={(input) => action.run(() => ai.createAgent(input))}
              onUpdate={(id, input) => action.run(() => ai.updateAgent(id, input))}
              onDelete={(id) => action.run(() => ai.deleteAgent(id))}
              canChooseModel={canChooseModel}
            />
          )}
        </>
      )}
      <details className="ai-activity" data-testid="ai-activity">
        <summary>Activity</summary>
        <ol>
          {(ai.activity.data?.items ?? []).map((entry) => (
            <li key={entry.id} data-depth={entry.depth ?? 0} style={{ paddingInlineStart: `${(entry.depth ?? 0) * 1}em` }}>
              {entry.parentRunId ? "↳ " : ""}
              {entry.actor} {entry.action}
              {entry.detail && entry.action !== "suggestion" && entry.action !== "comment" ? `: ${entry.detail}` : ""} <span className="muted">{new Date(entry.createdAt).toLocaleTimeString()}</span>
            </li>
          ))}
        </ol>
      </details>
      {scheduling && workspaceId && <ScheduleThisDialog workspaceId={workspaceId} canvasId={canvasId} instruction={instruction.trim()} agentId={agentId} onClose={() => setScheduling(false)} />}
      {detailsOf && <RunDetailsDialog runId={detailsOf} load={ai.details} onClose={() => setDetailsOf(null)} />}
    </SidePanel>
  );
}

function clip(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function ChatEntry({
  message,
  canStop,
  onStop,
  onRate,
  onDetails,
}: {
  message: ChatMessage;
  canStop: boolean;
  onStop(runId: string): void;
  onRate(runId: string, rating: "up" | "down"): void;
  onDetails(runId: string): void;
}) {
  const [rated, setRated] = useState<"up" | "down" | null>(null);
  const runId = message.runId;
  return (
    <li className={`ai-message ai-message-${message.role}`} data-testid="ai-message" data-role={message.role} data-status={message.status}>
      <div className="ai-message-author">
        <span className="agent-dot" style={{ background: message.author.color }} />
        {message.author.name}
        {message.status === "streaming" && <span className="muted small"> is writing…</span>}
        {message.status === "stopped" && <span className="muted small"> (stopped)</span>}
      </div>
      {message.text && <div className="ai-message-text">{message.text}</div>}
      {message.error && (
        <div className={message.status === "failed" ? "ai-message-error" : "muted small"} role={message.status === "failed" ? "alert" : undefined} data-testid="ai-message-error">
          {message.error}
        </div>
      )}
      {message.role === "assistant" && runId && (
        <div className="ai-message-actions">
          {message.status === "streaming" && canStop && (
            <button type="button" onClick={() => onStop(runId)} data-testid="ai-stop">
              Stop
            </button>
          )}
          {message.status !== "streaming" && (
            <>
              <button type="button" className={rated === "up" ? "selected small" : "quiet small"} onClick={() => (setRated("up"), onRate(runId, "up"))} data-testid="ai-thumbs-up">
                Helpful
              </button>
              <button type="button" className={rated === "down" ? "selected small" : "quiet small"} onClick={() => (setRated("down"), onRate(runId, "down"))} data-testid="ai-thumbs-down">
                Not helpful
              </button>
            </>
          )}
          <button type="button" className="link-button small" onClick={() => onDetails(runId)} data-testid="ai-details">
            Details
          </button>
        </div>
      )}
    </li>
  );
}

import { Dialog } from "../ui/dialog.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useResource } from "../ui/use-resource.ts";
import type { RunDetails } from "./use-ai.ts";

/** The provenance of one AI run: who asked, which model, what it was told, what it did and cost. */
export function RunDetailsDialog({ runId, load, onClose }: { runId: string; load(runId: string): Promise<RunDetails>; onClose(): void }) {
  const run = useResource(`run:${runId}`, () => load(runId));
  const details = run.data;
  return (
    <Dialog title="Where this came from" onClose={onClose} testId="run-details">
      <ErrorBanner message={run.error} />
      {details && (
        <div className="run-details">
          <dl>
            <dt>Agent</dt>
            <dd>{details.agent}</dd>
            <dt>Model</dt>
            <dd data-testid="run-model">
              {details.provider}:{details.model}
              {details.responseModel && details.responseModel !== details.model ? ` (answered by ${details.responseModel})` : ""}
            </dd>
            <dt>Instruction</dt>
            <dd>{details.quickAction ? `${details.instruction} (quick action ${details.quickAction})` : details.instruction}</dd>
            <dt>Status</dt>
            <dd>{details.running ? "running" : details.status}{details.error ? ` — ${details.error}` : ""}</dd>
            <dt>Tokens</dt>
            <dd>
              {details.tokensIn ?? "?"} in, {details.tokensOut ?? "?"} out
            </dd>
            <dt>Time</dt>
            <dd>
              {formatTime(details.createdAt)}; first token after {details.firstTokenMs ?? "?"} ms, {details.latencyMs ?? "?"} ms in all
            </dd>
          </dl>
          <h3>Tool calls</h3>
          {details.toolCalls.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <ol className="run-tool-calls">
              {details.toolCalls.map((call, index) => (
                <li key={index}>
                  <code>{call.name}</code> <pre>{JSON.stringify(call.input, null, 2)}</pre>
                  <span className="muted small">{call.result}</span>
                </li>
              ))}
            </ol>
          )}
          <details>
            <summary>Prompt sent to the model</summary>
            <pre className="run-prompt">
              {[details.prompt.system, details.prompt.memory ?? "", ...details.prompt.messages.map((message) => `[${message.role}]\n${message.content}`)].filter(Boolean).join("\n\n")}
            </pre>
            {details.prompt.memoryWithheld && <p className="muted small">What the AI remembers about the person who asked was part of this prompt; only they can see it.</p>}
          </details>
        </div>
      )}
    </Dialog>
  );
}

import type { DiffLine } from "./use-versions.ts";

const marks: Record<DiffLine["type"], string> = { same: " ", add: "+", remove: "−" };

/** A line diff: removed lines in red, added ones in green. */
export function DiffView({ lines, fromLabel, toLabel }: { lines: DiffLine[]; fromLabel: string; toLabel: string }) {
  const changed = lines.some((line) => line.type !== "same");
  return (
    <div className="diff-view" data-testid="diff-view">
      <p className="small">
        From <strong>{fromLabel}</strong> to <strong>{toLabel}</strong>
      </p>
      {!changed && <p className="muted small" data-testid="diff-empty">No differences.</p>}
      <pre className="diff-lines">
        {lines.map((line, index) => (
          <div key={index} className={`diff-line diff-${line.type}`} data-testid={`diff-line-${line.type}`}>
            <span className="diff-mark" aria-hidden="true">{marks[line.type]}</span>
            {line.text || " "}
          </div>
        ))}
      </pre>
    </div>
  );
}

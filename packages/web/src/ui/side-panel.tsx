import type { ReactNode } from "react";

/** A panel's or dialog's title with a Close button on the right. */
export function PanelHeader({ title, onClose, closeLabel, closeTestId }: { title: string; onClose(): void; closeLabel?: string; closeTestId?: string }) {
  return (
    <div className="side-panel-header">
      <h2>{title}</h2>
      <button type="button" className="link-button" onClick={onClose} aria-label={closeLabel} data-testid={closeTestId}>
        Close
      </button>
    </div>
  );
}

/** A panel beside the canvas (AI, comments, versions): a title, Close, and its content. */
export function SidePanel({ title, className, testId, closeLabel, onClose, children }: { title: string; className: string; testId: string; closeLabel: string; onClose(): void; children: ReactNode }) {
  return (
    <aside className={`side-panel ${className}`} data-testid={testId}>
      <PanelHeader title={title} onClose={onClose} closeLabel={closeLabel} />
      {children}
    </aside>
  );
}

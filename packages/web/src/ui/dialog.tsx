import { useEffect, useRef, type ReactNode } from "react";
import { PanelHeader } from "./side-panel.tsx";

/** A modal built on <dialog>: Escape and the close button call `onClose`. */
export function Dialog({ title, onClose, children, testId, wide = false }: { title: string; onClose(): void; children: ReactNode; testId: string; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog-wide" : "dialog"}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => event.target === ref.current && onClose()}
      data-testid={testId}
    >
      <div className="dialog-body">
        <PanelHeader title={title} onClose={onClose} closeTestId="dialog-close" />
        {children}
      </div>
    </dialog>
  );
}

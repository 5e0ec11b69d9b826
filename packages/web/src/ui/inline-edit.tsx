import { useEffect, useState, type FormEvent } from "react";

interface InlineEditProps {
  value: string;
  onSave(value: string): Promise<void> | void;
  disabled?: boolean;
  className?: string;
  label: string;
  testId: string;
}

/** Text that turns into an input on click; Enter or blur saves, Escape cancels. */
export function InlineEdit({ value, onSave, disabled, className, label, testId }: InlineEditProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);

  async function save(event?: FormEvent) {
    event?.preventDefault();
    setEditing(false);
    const trimmed = draft.trim();
    if (trimmed && trimmed !== value) await onSave(trimmed);
    else setDraft(value);
  }

  if (disabled) return <span className={`inline-edit-text ${className ?? ""}`} title={value} data-testid={testId}>{value}</span>;
  if (!editing) {
    return (
      <button type="button" className={`inline-edit ${className ?? ""}`} title={value} onClick={() => setEditing(true)} data-testid={testId}>
        {value}
      </button>
    );
  }
  return (
    <form onSubmit={save} className="inline-edit-form">
      <input
        autoFocus
        aria-label={label}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => void save()}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            setDraft(value);
            setEditing(false);
          }
        }}
        className={className}
        data-testid={`${testId}-input`}
      />
    </form>
  );
}

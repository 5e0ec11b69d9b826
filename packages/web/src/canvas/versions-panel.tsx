import type { Version } from "@cocanvas/protocol";
import { useState, type FormEvent } from "react";
import { useSignedInUser } from "../app/auth-state.tsx";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { SidePanel } from "../ui/side-panel.tsx";
import { formatTime } from "../ui/format-time.ts";
import { useAction } from "../ui/use-resource.ts";
import { Dialog } from "../ui/dialog.tsx";
import { DiffView, VersionPreview } from "./diff-view.tsx";
import { useVersions, type DiffLine } from "./use-versions.ts";

interface VersionsPanelProps {
  canvasId: string;
  canRestore: boolean;
  onClose(): void;
}

const kindLabels: Record<Version["kind"], string> = { auto: "Automatic", named: "Named", restore: "Restore" };

/** Version history: save a named version, pick two (or one and "current") to compare, restore. */
export function VersionsPanel({ canvasId, canRestore, onClose }: VersionsPanelProps) {
  const versions = useVersions(canvasId);
  const me = useSignedInUser();
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<string[]>([]);
  const [diff, setDiff] = useState<{ lines: DiffLine[]; from: string; to: string } | null>(null);
  const [wide, setWide] = useState(false);
  const [preview, setPreview] = useState<{ label: string; text: string } | null>(null);
  const action = useAction();

  const labelOf = (id: string) => {
    if (id === "current") return "Current";
    const version = versions.versions?.find((candidate) => candidate.id === id);
    return version ? (version.name ?? `Automatic, ${formatTime(version.createdAt)}`) : id;
  };
  const author = (version: Version) =>
    version.createdBy === null ? null : version.createdBy === me.id ? "You" : (version.createdByName ?? "A former member");

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    await action.run(async () => {
      await versions.save(name.trim());
      setName("");
    });
  }

  function toggle(id: string) {
    setDiff(null);
    setSelected((current) => (current.includes(id) ? current.filter((item) => item !== id) : [...current, id].slice(-2)));
  }

  async function compare() {
    // Order oldest → newest so additions read as what changed since the older one.
    const order = ["current", ...(versions.versions ?? []).map((version) => version.id)];
    const [newer, older] = [...selected].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    if (!newer || !older) return;
    const lines = await action.run(() => versions.diff(older, newer));
    if (lines) setDiff({ lines, from: older, to: newer });
  }

  async function showPreview(version: Version) {
    const text = await action.run(() => versions.text(version.id));
    if (text !== undefined) setPreview({ label: labelOf(version.id), text });
  }

  // No confirmation: a restore is itself a new version, so it can be undone by restoring again.
  async function restore(version: Version) {
    await action.run(() => versions.restore(version.id));
  }

  return (
    <SidePanel title="Versions" className="versions-panel" testId="versions-panel" closeLabel="Close versions" onClose={onClose}>
      {canRestore && (
        <form className="inline-form" onSubmit={save}>
          <input placeholder="Name this version" value={name} onChange={(event) => setName(event.target.value)} aria-label="Version name" data-testid="version-name" />
          <button type="submit" className="primary" disabled={action.busy || !name.trim()} data-testid="save-version">
            Save version
          </button>
        </form>
      )}
      <ErrorBanner message={action.error ?? versions.error} />
      <p className="muted small">Tick two entries to compare them.</p>
      <ul className="version-list" data-testid="version-list">
        <li className="version-row">
          <label>
            <input type="checkbox" checked={selected.includes("current")} onChange={() => toggle("current")} data-testid="version-select-current" />
            <span className="version-name">Current</span>
          </label>
        </li>
        {versions.versions?.map((version) => (
          <li key={version.id} className="version-row" data-testid="version-row" data-version-id={version.id} data-kind={version.kind}>
            <label>
              <input type="checkbox" checked={selected.includes(version.id)} onChange={() => toggle(version.id)} data-testid="version-select" />
              <span className="version-name" data-testid="version-name-text">{version.name ?? "Automatic snapshot"}</span>
            </label>
            <div className="version-meta muted small">
              <span className={`version-kind kind-${version.kind}`}>{kindLabels[version.kind]}</span> · {formatTime(version.createdAt)}
              {author(version) && ` · ${author(version)}`}
            </div>
            <div className="version-actions">
              <button type="button" className="quiet" onClick={() => showPreview(version)} data-testid="preview-version">
                Preview
              </button>
              {canRestore && (
                <button type="button" className="quiet" onClick={() => restore(version)} data-testid="restore-version">
                  Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <button type="button" disabled={selected.length !== 2 || action.busy} onClick={compare} data-testid="compare-versions">
        Compare selected
      </button>
      {diff && (
        <>
          <button type="button" className="quiet" onClick={() => setWide(true)} data-testid="compare-full-width">
            Open full width
          </button>
          <DiffView lines={diff.lines} fromLabel={labelOf(diff.from)} toLabel={labelOf(diff.to)} />
        </>
      )}
      {diff && wide && (
        <Dialog title="Compare versions" onClose={() => setWide(false)} testId="compare-dialog" wide>
          <DiffView lines={diff.lines} fromLabel={labelOf(diff.from)} toLabel={labelOf(diff.to)} />
        </Dialog>
      )}
      {preview && (
        <Dialog title={preview.label} onClose={() => setPreview(null)} testId="preview-dialog" wide>
          <VersionPreview text={preview.text} />
        </Dialog>
      )}
    </SidePanel>
  );
}

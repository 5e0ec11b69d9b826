import type { CanvasKind } from "@cocanvas/protocol";

/** A small mark telling documents and code apart. */
export function CanvasKindIcon({ kind }: { kind: CanvasKind }) {
  return (
    <span className={`kind-icon kind-${kind}`} aria-label={kind === "doc" ? "Document" : "Code"} title={kind === "doc" ? "Document" : "Code"}>
      {kind === "doc" ? "¶" : "</>"}
    </span>
  );
}

import type { Canvas } from "@cocanvas/protocol";
import { api } from "../app/api-client.ts";
import { Link } from "../ui/link.tsx";
import { useResource } from "../ui/use-resource.ts";
import { CanvasKindIcon } from "../ui/canvas-kind-icon.tsx";

/** Canvases reached through share links ("Shared with me"). */
export function SharedCanvases() {
  const shared = useResource("shared", async () => (await api.get<{ items: Canvas[] }>("/api/shared")).items);
  return (
    <section className="sidebar-section">
      <h2 className="sidebar-title">Shared with me</h2>
      {shared.data?.length === 0 && <p className="muted small">Nothing yet. Open a share link to see it here.</p>}
      <ul className="workspace-list" data-testid="shared-list">
        {shared.data?.map((canvas) => (
          <li key={canvas.id}>
            <Link href={`/c/${canvas.id}`} data-testid="shared-canvas-link">
              <CanvasKindIcon kind={canvas.kind} /> {canvas.title}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

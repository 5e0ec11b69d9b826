import { suggestionTextView, type SuggestionTarget } from "@cocanvas/content";
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";

/** The awareness state an agent publishes, next to people's `user` and `cursor`. */
export interface AgentAwareness {
  user: { id: string; name: string; color: string; colorLight: string };
  agent: { runId: string; status: string; invokedBy: string };
  cursor?: { anchor: unknown; head: unknown };
}

/**
 * An agent's presence in a canvas: its own awareness client (so several agents and people
 * each have a name, a colour and a cursor), forwarded into the live document's awareness,
 * which Hocuspocus broadcasts. The cursor follows what the agent reads or writes; the
 * status says what it is doing right now.
 */
export class AgentPresence {
  private readonly peer: Awareness;
  private readonly forward: (changes: { added: number[]; updated: number[]; removed: number[] }) => void;

  constructor(
    private readonly document: Y.Doc,
    agent: { id: string; name: string; color: string },
    run: { runId: string; invokedBy: string },
  ) {
    const awareness = (document as Y.Doc & { awareness?: Awareness }).awareness;
    this.peer = new Awareness(new Y.Doc());
    this.forward = ({ added, updated, removed }) => {
      if (!awareness) return;
      const clients = [...added, ...updated, ...removed];
      applyAwarenessUpdate(awareness, encodeAwarenessUpdate(this.peer, clients), this);
    };
    this.peer.on("update", this.forward);
    this.peer.setLocalState({
      user: { id: agent.id, name: agent.name, color: agent.color, colorLight: `${agent.color}33` },
      agent: { runId: run.runId, status: "starting", invokedBy: run.invokedBy },
    } satisfies AgentAwareness);
  }

  /** What the agent is doing, in a few words ("reviewing", "writing a suggestion"). */
  status(text: string): void {
    const state = this.peer.getLocalState() as AgentAwareness | null;
    if (state && state.agent.status !== text) this.peer.setLocalState({ ...state, agent: { ...state.agent, status: text } });
  }

  /** Moves the agent's cursor over `[from, to)` of the target's text (an empty range is a caret). */
  cursorAt(target: SuggestionTarget, from: number, to: number): void {
    const state = this.peer.getLocalState() as AgentAwareness | null;
    if (!state) return;
    try {
      const view = suggestionTextView(this.document, target);
      const json = (encoded: Uint8Array) => Y.relativePositionToJSON(Y.decodeRelativePosition(encoded));
      this.peer.setLocalState({ ...state, cursor: { anchor: json(view.anchor(from, "start")), head: json(view.anchor(to, from === to ? "start" : "end")) } });
    } catch {
      // The target (a code file) is gone: keep the cursor where it was.
    }
  }

  /** The agent leaves: its presence and cursor disappear for everyone. */
  leave(): void {
    this.peer.setLocalState(null);
    this.peer.off("update", this.forward);
    this.peer.destroy();
  }
}

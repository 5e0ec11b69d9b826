import type { HocuspocusProvider } from "@hocuspocus/provider";
import { useState } from "react";
import { api, errorMessage } from "../app/api-client.ts";
import { usePresence } from "../sync/use-presence.ts";

/**
 * Everyone on this canvas: a colour dot and a name each. Agents at work show what they
 * are doing right now and, for those who may ask agents, a Stop button.
 */
export function PresenceBar({ provider, canStopAgents }: { provider: HocuspocusProvider | null; canStopAgents: boolean }) {
  const peers = usePresence(provider);
  const [stopError, setStopError] = useState<string | null>(null);
  const stop = (runId: string) => {
    setStopError(null);
    api.post(`/api/ai/runs/${runId}/stop`).catch((error: unknown) => setStopError(errorMessage(error)));
  };
  return (
    <ul className="presence-bar" data-testid="presence-bar" aria-label="People and agents here">
      {peers.map((peer) =>
        peer.agent ? (
          <li key={peer.clientId} className="presence-person presence-agent" data-testid="presence-agent" data-agent={peer.user.name} title={`${peer.user.name}, asked by ${peer.agent.invokedBy}`}>
            <span className="presence-dot agent" style={{ backgroundColor: peer.user.color }} />
            <span className="presence-name">{peer.user.name}</span>
            <span className="presence-status" data-testid="agent-status">
              {peer.agent.status}
            </span>
            {canStopAgents && (
              <button type="button" className="quiet small" onClick={() => stop(peer.agent!.runId)} aria-label={`Stop ${peer.user.name}`} data-testid="agent-stop">
                Stop
              </button>
            )}
          </li>
        ) : (
          <li key={peer.clientId} className="presence-person" data-testid="presence-user" data-self={peer.isSelf || undefined} title={peer.isSelf ? "You" : peer.user.name}>
            <span className="presence-dot" style={{ backgroundColor: peer.user.color }} />
            <span className="presence-name">{peer.isSelf ? `${peer.user.name} (you)` : peer.user.name}</span>
          </li>
        ),
      )}
      {stopError && (
        <li className="presence-error" role="alert">
          {stopError}
        </li>
      )}
    </ul>
  );
}

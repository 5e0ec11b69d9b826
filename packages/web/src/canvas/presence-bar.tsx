import type { HocuspocusProvider } from "@hocuspocus/provider";
import { usePresence } from "../sync/use-presence.ts";

/** Everyone connected to this canvas: a colour dot and a name each. */
export function PresenceBar({ provider }: { provider: HocuspocusProvider | null }) {
  const peers = usePresence(provider);
  return (
    <ul className="presence-bar" data-testid="presence-bar" aria-label="People here">
      {peers.map((peer) => (
        <li key={peer.clientId} className="presence-person" data-testid="presence-user" data-self={peer.isSelf || undefined} title={peer.isSelf ? "You" : peer.user.name}>
          <span className="presence-dot" style={{ backgroundColor: peer.user.color }} />
          <span className="presence-name">{peer.isSelf ? `${peer.user.name} (you)` : peer.user.name}</span>
        </li>
      ))}
    </ul>
  );
}

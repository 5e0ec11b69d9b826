import type { LiveEvent, WorkspaceChange } from "@cocanvas/protocol";
import type { Logger } from "../logger.ts";

/** One open per-person stream (`GET /api/events`). */
export interface LiveSubscriber {
  userId: string;
  /** Whether the credential the stream was opened with still holds (not logged out, token not revoked). */
  stillValid(): Promise<boolean>;
  /** Writes one event to the stream. */
  send(event: LiveEvent): Promise<void>;
  /** Ends the stream (its credential was revoked). */
  close(): void;
}

/**
 * The one live event bus: every capability publishes here, and every person's open
 * streams receive what is meant for them. Before each event is written, the stream's
 * credential is checked again, so a revoked token or ended session stops receiving at
 * once (and its stream is closed); workspace events go to the workspace's members as
 * they are when the event is sent, so a removed member stops receiving at once too.
 *
 * @example
 * ```ts
 * liveEvents.publishToUser(userId, { type: "notification-read", ids: "all", unread: 0 });
 * await liveEvents.publishToWorkspace(workspaceId, { type: "workspace-changed", workspaceId, what: "canvases" });
 * ```
 */
export class LiveEvents {
  readonly #byUser = new Map<string, Set<LiveSubscriber>>();
  /** Per subscriber, the tail of its queue: events are written one after another, in order. */
  readonly #queues = new WeakMap<LiveSubscriber, Promise<void>>();

  constructor(
    private readonly deps: {
      /** The user ids of a workspace's members, read at send time. */
      membersOf(workspaceId: string): Promise<string[]>;
      logger: Logger;
    },
  ) {}

  /** Adds a stream; returns the function that removes it. */
  subscribe(subscriber: LiveSubscriber): () => void {
    let set = this.#byUser.get(subscriber.userId);
    if (!set) this.#byUser.set(subscriber.userId, (set = new Set()));
    set.add(subscriber);
    return () => this.#remove(subscriber);
  }

  /** How many streams are open (for tests and health). */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.#byUser.values()) count += set.size;
    return count;
  }

  /** Sends `event` to every open stream of `userId`. */
  publishToUser(userId: string, event: LiveEvent): void {
    for (const subscriber of this.#byUser.get(userId) ?? []) this.#enqueue(subscriber, event);
  }

  /** Sends `event` to every open stream of the workspace's current members. */
  async publishToWorkspace(workspaceId: string, event: LiveEvent): Promise<void> {
    if (this.#byUser.size === 0) return;
    let members: string[];
    try {
      members = await this.deps.membersOf(workspaceId);
    } catch (error) {
      this.deps.logger.warn({ err: error, workspaceId }, "could not read a workspace's members for a live event");
      return;
    }
    for (const userId of members) this.publishToUser(userId, event);
  }

  /** Tells the workspace's members that `what` changed, so lists showing it refetch. Never throws. */
  workspaceChanged(workspaceId: string, what: WorkspaceChange): void {
    void this.publishToWorkspace(workspaceId, { type: "workspace-changed", workspaceId, what });
  }

  /**
   * A credential of `userId` was revoked (a token deleted, a session ended): each of their
   * streams checks its own at once and closes if it no longer holds.
   */
  credentialsChanged(userId: string): void {
    for (const subscriber of this.#byUser.get(userId) ?? []) {
      this.#chain(subscriber, async () => {
        if (!(await subscriber.stillValid())) this.#end(subscriber);
      });
    }
  }

  /** Checks one stream's credential (used by its heartbeat); closes it when revoked. */
  async recheck(subscriber: LiveSubscriber): Promise<boolean> {
    if (await subscriber.stillValid()) return true;
    this.#end(subscriber);
    return false;
  }

  /** Ends every stream (the server is stopping). */
  closeAll(): void {
    for (const set of this.#byUser.values()) for (const subscriber of set) subscriber.close();
    this.#byUser.clear();
  }

  #enqueue(subscriber: LiveSubscriber, event: LiveEvent): void {
    this.#chain(subscriber, async () => {
      if (!(await subscriber.stillValid())) return this.#end(subscriber);
      await subscriber.send(event);
    });
  }

  #chain(subscriber: LiveSubscriber, step: () => Promise<void>): void {
    const previous = this.#queues.get(subscriber) ?? Promise.resolve();
    const next = previous.then(step).catch((error) => {
      this.deps.logger.debug({ err: error, userId: subscriber.userId }, "a live stream could not be written; closing it");
      this.#end(subscriber);
    });
    this.#queues.set(subscriber, next);
  }

  #end(subscriber: LiveSubscriber): void {
    if (!this.#remove(subscriber)) return;
    subscriber.close();
  }

  #remove(subscriber: LiveSubscriber): boolean {
    const set = this.#byUser.get(subscriber.userId);
    if (!set?.delete(subscriber)) return false;
    if (set.size === 0) this.#byUser.delete(subscriber.userId);
    return true;
  }
}

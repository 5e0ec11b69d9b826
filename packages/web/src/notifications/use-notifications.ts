import type { Notification } from "@cocanvas/protocol";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "../app/api-client.ts";
import { useLiveEvents } from "../events/use-live-events.ts";

interface Page {
  items: Notification[];
  nextCursor: string | null;
}

/**
 * The signed-in person's inbox: the unread count (kept current by the live stream) and,
 * once `loadList` was called, the newest notifications with paging and marking read.
 */
export function useNotifications() {
  const [unread, setUnread] = useState<number | null>(null);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadCount = useCallback(async () => {
    try {
      setUnread((await api.get<{ unread: number }>("/api/notifications/unread-count")).unread);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);

  const loadList = useCallback(async () => {
    try {
      const page = await api.get<Page>("/api/notifications?limit=20");
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    try {
      const page = await api.get<Page>(`/api/notifications?limit=20&cursor=${encodeURIComponent(nextCursor)}`);
      setItems((previous) => [...(previous ?? []), ...page.items.filter((item) => !previous?.some((known) => known.id === item.id))]);
      setNextCursor(page.nextCursor);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [nextCursor]);

  useEffect(() => {
    void loadCount();
  }, [loadCount]);

  useLiveEvents((message) => {
    if (message.type === "notification-created") {
      setUnread(message.unread);
      setItems((previous) => (previous ? [message.notification, ...previous.filter((item) => item.id !== message.notification.id)] : previous));
    } else if (message.type === "notification-read") {
      setUnread(message.unread);
      const readAt = new Date().toISOString();
      setItems((previous) => previous?.map((item) => (item.readAt === null && (message.ids === "all" || message.ids.includes(item.id)) ? { ...item, readAt } : item)) ?? null);
    } else if (message.type === "reconnected") {
      void loadCount();
      if (items) void loadList();
    }
  });

  const markRead = useCallback(async (ids: string[]) => {
    try {
      setUnread((await api.post<{ unread: number }>("/api/notifications/read", { ids })).unread);
      const readAt = new Date().toISOString();
      setItems((previous) => previous?.map((item) => (ids.includes(item.id) && item.readAt === null ? { ...item, readAt } : item)) ?? null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);

  const markAllRead = useCallback(async () => {
    try {
      await api.post("/api/notifications/read-all");
      setUnread(0);
      const readAt = new Date().toISOString();
      setItems((previous) => previous?.map((item) => (item.readAt === null ? { ...item, readAt } : item)) ?? null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);

  return { unread, items, hasMore: nextCursor !== null, error, loadList, loadMore, markRead, markAllRead };
}

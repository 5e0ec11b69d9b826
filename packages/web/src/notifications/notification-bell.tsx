import type { Notification } from "@cocanvas/protocol";
import { useEffect, useRef, useState } from "react";
import { navigate } from "../app/router.ts";
import { ErrorBanner } from "../ui/error-banner.tsx";
import { relativeTime } from "../ui/relative-time.ts";
import { useNotifications } from "./use-notifications.ts";
import "./notifications.css";

/** The bell in the app header: the unread count, live, and a panel listing notifications. */
export function NotificationBell() {
  const inbox = useNotifications();
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const unread = inbox.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    void inbox.loadList();
    const closeOutside = (event: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", closeOutside);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("mousedown", closeOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open, inbox.loadList]);

  function follow(notification: Notification) {
    if (notification.readAt === null) void inbox.markRead([notification.id]);
    setOpen(false);
    if (notification.link) navigate(notification.link);
  }

  return (
    <div className="notification-bell" ref={wrapper}>
      <button
        type="button"
        className={open ? "bell-button selected" : "bell-button"}
        onClick={() => setOpen(!open)}
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        aria-expanded={open}
        data-testid="notification-bell"
        data-unread={unread}
      >
        <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="notification-count">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="notification-panel" role="dialog" aria-label="Notifications" data-testid="notification-panel">
          <div className="notification-panel-header">
            <strong>Notifications</strong>
            <button type="button" className="link-button" disabled={unread === 0} onClick={() => void inbox.markAllRead()} data-testid="notifications-mark-all-read">
              Mark all read
            </button>
          </div>
          <ErrorBanner message={inbox.error} />
          {inbox.items?.length === 0 && <p className="muted small notification-empty">Nothing yet. Mentions and finished task runs show up here.</p>}
          <ul className="notification-list">
            {inbox.items?.map((notification) => (
              <li key={notification.id} className={notification.readAt ? "notification-item" : "notification-item unread"} data-testid="notification-item" data-read={notification.readAt ? "true" : "false"}>
                <button type="button" className="notification-open" onClick={() => follow(notification)} data-testid="notification-open">
                  <span className="notification-title">{notification.title}</span>
                  {notification.body && <span className="notification-body">{notification.body}</span>}
                  <span className="muted small" title={notification.createdAt}>
                    {relativeTime(notification.createdAt)}
                  </span>
                </button>
                {notification.readAt === null && (
                  <button type="button" className="link-button small" onClick={() => void inbox.markRead([notification.id])} data-testid="notification-mark-read">
                    Mark read
                  </button>
                )}
              </li>
            ))}
          </ul>
          {inbox.hasMore && (
            <button type="button" className="link-button notification-more" onClick={() => void inbox.loadMore()} data-testid="notifications-more">
              Older notifications
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export { colorForUser, presenceUser, type PresenceUser } from "@cocanvas/content";

export { LiveEvents, type LiveSubscriber } from "./live-events.ts";

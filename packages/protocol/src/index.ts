// Any new export added here becomes public API shared by server and web.
// Use named exports, not wildcards.
export { ApiError, CloseCode, ErrorCode, errorStatus, type ErrorBody } from "./errors.ts";
export { Role, roles, roleAtLeast, strongerRole, canEditContent } from "./roles.ts";
export {
  CanvasCreateBody,
  CanvasImportBody,
  CanvasKind,
  CanvasPatchBody,
  canvasKinds,
  CodeFile,
  AdminUserPatchBody,
  InvitationAcceptBody,
  InvitationCreateBody,
  LoginBody,
  PasswordChangeBody,
  PasswordForgotBody,
  PasswordResetBody,
  PasswordSetBody,
  ProfilePatchBody,
  MemberAddBody,
  MemberPatchBody,
  SettingsPatchBody,
  ShareCreateBody,
  SignupBody,
  TokenCreateBody,
  VersionCreateBody,
  WorkspaceCreateBody,
  WorkspacePatchBody,
  type AdminUser,
  type Canvas,
  type ListResponse,
  type Member,
  type User,
  type Version,
  type Workspace,
} from "./api.ts";
export {
  AgentCreateBody,
  AgentPatchBody,
  agentPersonas,
  AiFeedbackBody,
  AiRunCreateBody,
  AiSelection,
  builtinQuickActions,
  QuickActionCreateBody,
  quickActionInstruction,
  SuggestionDecisionBody,
  type QuickAction,
} from "./ai.ts";
export { MemoryPatchBody, type MemoryEntry, type MemoryList, type MemoryReflection } from "./memory.ts";
export { CommentCreateBody, CommentReplyBody, CommentStatusQuery, maxCommentLength } from "./comments.ts";
export {
  NotificationKind,
  notificationKinds,
  NotificationReadBody,
  NotificationSettingsBody,
  WebhookCreateBody,
  type LiveEvent,
  type Notification,
  type NotificationSettings,
  type Webhook,
  type WebhookAttempt,
  type WebhookDelivery,
  type WorkspaceChange,
} from "./notifications.ts";
export { applyRunEvent, type AiRunStatus, type RunEvent, type RunState } from "./runs.ts";
export { ScheduleBody, SchedulePreviewBody, TaskCreateBody, TaskPatchBody, TaskTargetBody } from "./tasks.ts";

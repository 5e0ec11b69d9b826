/**
 * Schema migrations, applied in order on start. Never edit a migration that has shipped;
 * add a new one. `user_version` records how many have run.
 */
export const migrations: string[] = [
  /* 1: accounts, workspaces, canvases, documents, versions */ `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);

  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );

  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE workspace_members (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner','editor','commenter','viewer')),
    PRIMARY KEY (workspace_id, user_id)
  );
  CREATE INDEX workspace_members_user ON workspace_members(user_id);

  CREATE TABLE canvases (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE INDEX canvases_workspace ON canvases(workspace_id, deleted_at);

  CREATE TABLE canvas_grants (
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('editor','commenter','viewer')),
    PRIMARY KEY (canvas_id, user_id)
  );

  CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('editor','commenter','viewer')),
    created_by TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );

  -- Live documents (one per canvas) by a small integer, so the log's index stays compact.
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  );

  -- Append-only log of Yjs updates since the document's snapshot. Rows are deleted when
  -- compacted into doc_snapshots; a rowid table (no AUTOINCREMENT) keeps inserts cheap.
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc);

  CREATE TABLE doc_snapshots (
    doc INTEGER PRIMARY KEY,
    data BLOB NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE versions (
    id TEXT PRIMARY KEY,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    name TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('auto','named','restore')),
    state BLOB NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX versions_canvas ON versions(canvas_id, created_at);

  -- Uploaded images; a canvas that shows one holds a row in upload_canvases, and
  -- whoever may view such a canvas may fetch the image.
  CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE upload_canvases (
    upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    PRIMARY KEY (upload_id, canvas_id)
  );
  CREATE INDEX upload_canvases_canvas ON upload_canvases(canvas_id);
  `,
  /* 2: AI co-editing — model choice, runs with provenance, suggestions, feedback, quick actions */ `
  ALTER TABLE workspaces ADD COLUMN default_model TEXT;

  -- One model request on a canvas: who asked, what was sent, what came back and what it cost.
  CREATE TABLE ai_runs (
    id TEXT PRIMARY KEY,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    user_id TEXT,
    agent TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    instruction TEXT NOT NULL,
    quick_action TEXT,
    prompt TEXT NOT NULL,
    tool_calls TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('running','done','stopped','failed')),
    error TEXT,
    tokens_in INTEGER,
    tokens_out INTEGER,
    first_token_ms INTEGER,
    latency_ms INTEGER,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX ai_runs_canvas ON ai_runs(canvas_id, created_at);

  -- Every suggestion a run made, and how it was decided.
  CREATE TABLE ai_suggestions (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES ai_runs(id) ON DELETE CASCADE,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    old_text TEXT NOT NULL,
    new_text TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX ai_suggestions_run ON ai_suggestions(run_id);

  -- What people thought of the AI's work: thumbs on replies, accept/reject/edit of suggestions.
  CREATE TABLE ai_feedback (
    id INTEGER PRIMARY KEY,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL REFERENCES ai_runs(id) ON DELETE CASCADE,
    suggestion_id TEXT,
    user_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('thumbs_up','thumbs_down','accepted','rejected','edited','undone')),
    final_text TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX ai_feedback_run ON ai_feedback(run_id);

  -- Saved quick actions: a person's own (user_id) or shared with a workspace (workspace_id).
  CREATE TABLE quick_actions (
    id TEXT PRIMARY KEY,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prompt TEXT NOT NULL,
    canvas_kind TEXT NOT NULL CHECK (canvas_kind IN ('doc','code','any')),
    created_by TEXT,
    created_at TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (workspace_id IS NULL))
  );
  CREATE INDEX quick_actions_user ON quick_actions(user_id);
  CREATE INDEX quick_actions_workspace ON quick_actions(workspace_id);
  `,
  /* 3: agents as teammates — personas, activity log, memory, run lineage */ `
  -- Agents a workspace defines (the built-in personas live in code): who they are, which
  -- model and tools they use, and the budget of each request.
  CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    persona TEXT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '',
    model TEXT,
    tools TEXT NOT NULL,
    max_turns INTEGER NOT NULL,
    max_tokens INTEGER NOT NULL,
    max_seconds INTEGER NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (workspace_id, name)
  );

  -- Everything agents did on a canvas, on whose behalf.
  CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    canvas_id TEXT NOT NULL REFERENCES canvases(id) ON DELETE CASCADE,
    run_id TEXT,
    actor TEXT NOT NULL,
    user_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
  );
  CREATE INDEX activity_canvas ON activity(canvas_id, id);

  -- Memory distilled from a person's work with agents: per person and workspace, never shared.
  CREATE TABLE memories (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('style','fact')),
    text TEXT NOT NULL,
    source_run_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX memories_owner ON memories(user_id, workspace_id);

  -- Which agent ran, who handed the work to it, and how deep in a chain of hand-offs it is.
  ALTER TABLE ai_runs ADD COLUMN agent_id TEXT;
  ALTER TABLE ai_runs ADD COLUMN parent_run_id TEXT;
  ALTER TABLE ai_runs ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ai_runs ADD COLUMN thread_id TEXT;
  `,
  /* 4: memory — when each person's work in a workspace was last reflected on; per-person reads */ `
  -- Reflection reads only what a person did after this moment, so an entry they deleted
  -- is not distilled again from the same old decisions.
  CREATE TABLE memory_reflections (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    reflected_at TEXT NOT NULL,
    PRIMARY KEY (user_id, workspace_id)
  );
  CREATE INDEX ai_feedback_user ON ai_feedback(user_id, created_at);
  CREATE INDEX ai_runs_user ON ai_runs(user_id, created_at);
  `,
  /* 5: the document log without an index on doc — appends touch only the table's last page */ `
  -- An index on doc made every logged update write a page of its own (one per document in
  -- each group commit): ~5 µs of CPU and a WAL page per update. The log's rows per
  -- document are known to the process that writes them (decision 0001).
  DROP INDEX doc_updates_doc;
  `,
  /* 6: notifications — one inbox per person, email settings, webhook endpoints and their delivery log */ `
  -- A person's inbox: newest first by seq (the paging cursor); removed with the person or the workspace.
  CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT,
    link TEXT,
    task_id TEXT,
    run_id TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT
  );
  CREATE INDEX notifications_user ON notifications(user_id, seq);
  CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

  -- Per person: email on/off overall and per kind (JSON); the inbox always receives everything.
  CREATE TABLE notification_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email INTEGER NOT NULL DEFAULT 0,
    email_kinds TEXT NOT NULL DEFAULT '{}'
  );

  -- Outgoing webhooks, per person per workspace. The secret signs payloads (HMAC-SHA256), so it
  -- is kept as is; the API shows it once.
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    kinds TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
  );
  CREATE INDEX webhooks_owner ON webhooks(user_id, workspace_id);

  -- Every payload queued for a webhook; pending ones survive a restart and are retried.
  CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, seq);
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';

  CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries(seq) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_seq, attempt);
  `,
  /* 7: chains of agent runs share one budget; provenance keeps the model that answered */ `
  -- Every run of a chain of hand-offs names the chain's first run (the person's request).
  ALTER TABLE ai_runs ADD COLUMN chain_id TEXT;
  UPDATE ai_runs SET chain_id = id WHERE parent_run_id IS NULL;
  -- The model the provider reports having answered with (often a dated snapshot).
  ALTER TABLE ai_runs ADD COLUMN response_model TEXT;
  -- A workspace agent's budget for the chain it starts; NULL: the server's default.
  ALTER TABLE agents ADD COLUMN chain_max_runs INTEGER;
  ALTER TABLE agents ADD COLUMN chain_max_tokens INTEGER;
  ALTER TABLE agents ADD COLUMN chain_max_seconds INTEGER;
  `,
  /* 8: tasks — scheduled agent work, its runs, and the scheduler's due jobs (decision 0010) */ `
  -- The one scheduler's queue: each row is something due at due_at (ms since epoch). A
  -- claim sets lease_owner/lease_until; a holder that dies leaves its lease to expire (or,
  -- on SQLite, to be taken over when the next server starts). Other capabilities add kinds.
  CREATE TABLE due_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    group_key TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    payload TEXT,
    lease_owner TEXT,
    lease_until INTEGER
  );
  CREATE INDEX due_jobs_due ON due_jobs(due_at);
  CREATE INDEX due_jobs_lease ON due_jobs(lease_owner);

  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    instruction TEXT NOT NULL,
    target TEXT NOT NULL,
    schedule TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    missed_policy TEXT NOT NULL CHECK (missed_policy IN ('run-once','skip')),
    retries INTEGER NOT NULL,
    only_when_changed INTEGER NOT NULL DEFAULT 0,
    context TEXT NOT NULL DEFAULT 'none',
    status TEXT NOT NULL CHECK (status IN ('active','paused','finished')),
    paused_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX tasks_workspace ON tasks(workspace_id, created_at);

  CREATE TABLE task_runs (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    trigger TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    scheduled_for TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    ai_run_id TEXT,
    canvas_id TEXT,
    model TEXT,
    tokens_in INTEGER,
    tokens_out INTEGER,
    output TEXT,
    changed INTEGER,
    kept INTEGER,
    error TEXT,
    note TEXT
  );
  CREATE INDEX task_runs_task ON task_runs(task_id, started_at);

  -- Provenance: which task and run started an AI run.
  ALTER TABLE ai_runs ADD COLUMN task_id TEXT;
  ALTER TABLE ai_runs ADD COLUMN task_run_id TEXT;
  `,
  /* 9: sharing and accounts — hashed share tokens, where each canvas grant came from, disabled accounts, password resets, workspace invitations */ `
  -- Share tokens are kept only as their sha256, like session and API tokens (decision 0009).
  -- cocanvas_sha256 is registered on the connection before migrations run.
  UPDATE share_links SET token = cocanvas_sha256(token);

  -- The link a grant came through (null: granted before links were recorded), so revoking
  -- a link removes the access it gave.
  ALTER TABLE canvas_grants ADD COLUMN share_link_id TEXT REFERENCES share_links(id) ON DELETE SET NULL;
  ALTER TABLE canvas_grants ADD COLUMN granted_at TEXT;
  CREATE INDEX canvas_grants_link ON canvas_grants(share_link_id);
  CREATE INDEX canvas_grants_user ON canvas_grants(user_id);

  -- A disabled account cannot sign in, and its sessions and API tokens stop working.
  ALTER TABLE users ADD COLUMN disabled_at TEXT;

  -- Single-use, expiring password reset tokens (sha256 only).
  CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );
  CREATE INDEX password_resets_user ON password_resets(user_id);

  -- Invitations to a workspace with a role: single use, expiring, revocable (sha256 only).
  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('owner','editor','commenter','viewer')),
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    accepted_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    accepted_at TEXT
  );
  CREATE INDEX invitations_workspace ON invitations(workspace_id, created_at);
  `,
];

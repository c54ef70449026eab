// The console's own schema, in order. Append only: an applied entry is never edited.
export const consoleMigrations: { name: string, sql: string }[] = [
  {
    name: '001_users_sessions_audit',
    sql: `
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz
      );
      CREATE TABLE login_failures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL,
        ip text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX login_failures_at ON login_failures (at);
      CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text,
        action text NOT NULL,
        target text,
        params jsonb NOT NULL DEFAULT '{}',
        outcome text NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at DESC);
    `,
  },
  {
    name: '002_jobs',
    sql: `
      CREATE TABLE jobs (
        id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        target text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')),
        params jsonb NOT NULL DEFAULT '{}',
        progress jsonb NOT NULL DEFAULT '{}',
        result jsonb,
        error text,
        idempotency_key text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        UNIQUE (kind, target, idempotency_key)
      );
      CREATE INDEX jobs_target_created ON jobs (target, created_at DESC);
      CREATE TABLE job_logs (
        job_id int NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq int GENERATED ALWAYS AS IDENTITY,
        at timestamptz NOT NULL DEFAULT now(),
        line text NOT NULL,
        PRIMARY KEY (job_id, seq)
      );
    `,
  },
  {
    name: '003_backups',
    sql: `
      -- What reading a backup back found, valid while the file keeps its size and mtime (and its manifest its mtime).
      CREATE TABLE backup_checks (
        path text PRIMARY KEY,
        target text NOT NULL,
        size_bytes bigint NOT NULL,
        mtime_ms double precision NOT NULL,
        manifest_mtime_ms double precision,
        ok boolean NOT NULL,
        problem text,
        sha256 text,
        checked_at timestamptz NOT NULL DEFAULT now()
      );
      -- The latest restore test of each file; it speaks for the file only while size and mtime are unchanged.
      CREATE TABLE backup_verifications (
        path text PRIMARY KEY,
        target text NOT NULL,
        size_bytes bigint NOT NULL,
        mtime_ms double precision NOT NULL,
        ok boolean NOT NULL,
        problem text,
        result jsonb NOT NULL,
        verified_by text,
        verified_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    name: '004_monitoring',
    sql: `
      -- Database size over time, one sample per target at most every few minutes whatever the number of instances.
      CREATE TABLE db_size_samples (
        target text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        size_bytes bigint NOT NULL,
        PRIMARY KEY (target, at)
      );
    `,
  },
  {
    name: '005_checklists',
    sql: `
      CREATE TABLE checklist_runs (
        id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        target text NOT NULL,
        phase text NOT NULL CHECK (phase IN ('pre', 'post')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'passed', 'signed-off')),
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        signed_off_by text,
        sign_off_reason text
      );
      CREATE INDEX checklist_runs_target ON checklist_runs (target, started_at DESC);
      CREATE INDEX checklist_runs_completed ON checklist_runs (target, phase, completed_at DESC) WHERE completed_at IS NOT NULL;
      -- Items are copied from the template when a run starts, so a later template change never rewrites history.
      CREATE TABLE checklist_items (
        run_id int NOT NULL REFERENCES checklist_runs (id) ON DELETE CASCADE,
        key text NOT NULL,
        position int NOT NULL,
        kind text NOT NULL CHECK (kind IN ('auto', 'manual')),
        label text NOT NULL,
        help text,
        check_kind text,
        params jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'pass', 'fail')),
        evidence jsonb,
        checked_by text,
        checked_at timestamptz,
        note text,
        PRIMARY KEY (run_id, key)
      );
    `,
  },
  {
    name: '006_api_tokens',
    sql: `
      CREATE TABLE api_tokens (
        id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
    `,
  },
  {
    name: '007_migration_rehearsals',
    sql: `
      -- Each finished rehearsal of a target's pending migrations on a restored copy; result holds every step.
      CREATE TABLE migration_rehearsals (
        id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        target text NOT NULL,
        ok boolean NOT NULL,
        backup_id text NOT NULL,
        backup_sha256 text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        result jsonb NOT NULL,
        created_by text
      );
      CREATE INDEX migration_rehearsals_target ON migration_rehearsals (target, finished_at DESC);
    `,
  },
  {
    name: '008_sessions_login_throttle',
    sql: `
      -- Server-side sessions: the cookie carries a random id whose hash is the key, so deleting the row ends it.
      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX sessions_expires ON sessions (expires_at);
      -- Login back-off, one row per key (an address, an account, an account from an address).
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures int NOT NULL DEFAULT 0,
        last_at timestamptz NOT NULL DEFAULT now(),
        next_at timestamptz NOT NULL DEFAULT '-infinity'
      );
      CREATE INDEX login_throttle_last_at ON login_throttle (last_at);
      -- Addresses an account logged in from: a right password from one of them passes the account's back-off.
      CREATE TABLE login_known_addresses (
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        ip text NOT NULL,
        last_ok_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, ip)
      );
      DROP TABLE login_failures;
      -- The cookie key now lives outside this database (env or file); the old one is not kept.
      DELETE FROM settings WHERE key = 'session_secret';
      `,
  },
  {
    name: '009_audit_log_append_only',
    sql: `
      -- The audit trail only grows, whoever asks: the console's own role included. Nothing prunes it; an operator
      -- who must archive old entries does so as the table's owner with this trigger disabled.
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
    `,
  },
  {
    name: '010_deploys',
    sql: `
      -- A deploy as a record. At most one open deploy per target: concurrent starts race on this index and one wins.
      CREATE TABLE deploys (
        id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        target text NOT NULL,
        note text,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_by text,
        ended_at timestamptz,
        outcome text CHECK (outcome IN ('succeeded', 'succeeded-with-overrides', 'abandoned', 'rolled-back')),
        end_reason text,
        restore_job_id int,
        -- The backup taken for the deploy, kept by retention while open and for deployPinDays after.
        backup_id text,
        CHECK ((ended_at IS NULL) = (outcome IS NULL))
      );
      CREATE UNIQUE INDEX deploys_one_open ON deploys (target) WHERE ended_at IS NULL;
      CREATE INDEX deploys_target_started ON deploys (target, started_at DESC);
      -- The last check of each step; every attempt is in the audit log.
      CREATE TABLE deploy_steps (
        deploy_id int NOT NULL REFERENCES deploys (id),
        step text NOT NULL,
        status text NOT NULL CHECK (status IN ('passed', 'failed', 'overridden', 'skipped')),
        evidence jsonb,
        checked_by text,
        checked_at timestamptz NOT NULL DEFAULT now(),
        override_by text,
        override_at timestamptz,
        override_reason text,
        PRIMARY KEY (deploy_id, step)
      );
      -- The app role's privileges: at the start every entry (needed to diff), dropped once the deploy ends;
      -- at the post-deploy gate only counts and the difference.
      CREATE TABLE deploy_privileges (
        deploy_id int PRIMARY KEY REFERENCES deploys (id),
        role text NOT NULL,
        start_at timestamptz NOT NULL,
        start_counts jsonb NOT NULL,
        start_hash text NOT NULL,
        start_entries text[],
        diff jsonb,
        ack_by text,
        ack_at timestamptz,
        ack_reason text
      );
      `,
  },
  {
    name: '011_checklist_notes_abandon',
    sql: `
      -- An open run can be abandoned (with who, when and why); it never completes, so it never passes a gate.
      ALTER TABLE checklist_runs DROP CONSTRAINT checklist_runs_status_check;
      ALTER TABLE checklist_runs ADD CONSTRAINT checklist_runs_status_check CHECK (status IN ('open', 'passed', 'signed-off', 'abandoned'));
      ALTER TABLE checklist_runs ADD COLUMN abandoned_by text, ADD COLUMN abandoned_at timestamptz, ADD COLUMN abandon_reason text;
      -- A note can be written or edited after the tick; who wrote it last and when, apart from who ticked.
      ALTER TABLE checklist_items ADD COLUMN noted_by text, ADD COLUMN noted_at timestamptz;
    `,
  },
]

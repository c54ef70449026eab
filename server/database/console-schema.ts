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
]

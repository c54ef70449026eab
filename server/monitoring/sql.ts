/**
 * Leads every monitoring query, so a snapshot does not list its own parallel queries as activity
 * (they run on other connections of the pool, so excluding pg_backend_pid() is not enough).
 */
export const MARK = '/* dbsafe:monitoring */'

export const NOT_OURS = `a.query NOT LIKE '/* dbsafe:monitoring */%'`

// Without pg_read_all_stats, another role's session shows backend_type NULL; one attached to a
// database with a user is a client backend (background workers have no database or no user).
export const CLIENT_BACKEND = `(a.backend_type = 'client backend'
  OR (a.backend_type IS NULL AND a.datid IS NOT NULL AND a.usesysid IS NOT NULL))`

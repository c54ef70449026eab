// A shorter "secret" (an empty or 3-letter password) would turn ordinary words of the output into ***.
const MIN_SECRET_LENGTH = 4

// scheme://user:password@ — the password ends at the last @ before the host (an unencoded @ in it included).
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/]+(?=@)/gi

/** Replaces every secret value, and the password of any `scheme://user:password@` URL, with `***`. */
export function redactor(secrets: string[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))]
    // Longest first: a secret containing another is masked whole.
    .sort((a, b) => b.length - a.length)
  const secret = values.length ? new RegExp(values.map(escapeRegExp).join('|'), 'g') : null
  return (text) => (secret ? text.replace(secret, '***') : text).replace(URL_PASSWORD, '$1***')
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** PostgreSQL store URLs (no `pg` import here: the CLI reads this to validate --store without loading the driver). */

/** A URL with its password hidden, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // libpq also takes the password as a query parameter (?password=…)
    for (const k of [...u.searchParams.keys()]) if (/^(password|sslpassword|passfile)$/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

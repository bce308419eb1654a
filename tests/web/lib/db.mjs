// Direct database access for tests: seed extra rows, read what the server stored.
// SQLite through the sqlite3 command, PostgreSQL through psql; the SQL must suit both.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs SQL against the server's database; resolves with the rows as arrays of strings. */
export async function sql(dbUrl, query) {
  let out;
  if (dbUrl.startsWith('sqlite:')) {
    // the server writes too (sessions, mail, background jobs): wait for its lock like it does
    ({ stdout: out } = await run('sqlite3', ['-batch', '-cmd', '.timeout 5000', '-separator', '\t', dbUrl.slice(7), query]));
  } else {
    ({ stdout: out } = await run('psql', [dbUrl, '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query]));
  }
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** The first column of the first row. */
export async function sqlValue(dbUrl, query) {
  const rows = await sql(dbUrl, query);
  return rows.length ? rows[0][0] : undefined;
}

/** 'YYYY-MM-DD' of today plus n days in Europe/Amsterdam, the server's business time zone
 * (whatever the machine's zone: between 23:00 and 01:00 UTC the two days differ). */
export function isoDay(n = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n, 12));
  return t.toISOString().slice(0, 10);
}

/** 'DD-MM-YYYY' as the pages show dates. */
export function nlDay(n = 0) {
  const [y, m, d] = isoDay(n).split('-');
  return `${d}-${m}-${y}`;
}

/** 'ma 21-12-2026': the date with its weekday in front, as lists show dates. */
export function nlWeekday(n = 0) {
  const [y, m, d] = isoDay(n).split('-').map(Number);
  const day = ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'][new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${day} ${nlDay(n)}`;
}

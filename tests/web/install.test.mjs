// `meson install` puts the program, its templates, static files and migrations in place, and the
// installed program finds them without KLANTPORTAL_DATA_DIR, started from any folder. The tree is
// installed into a temporary DESTDIR (as a package build would), from the build being tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, ownForServer, freePort } from './lib/harness.mjs';
import { sqlValue } from './lib/db.mjs';

const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function find(dir, name) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const f = find(p, name);
      if (f) return f;
    } else if (e.name === name && p.endsWith(path.join('bin', name))) {
      return p;
    }
  }
  return null;
}

test('meson install: the installed program finds its templates, static files and migrations', async () => {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-install-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-installed-run-'));
  let child;
  try {
    execFileSync('meson', ['install', '-C', path.dirname(bin), '--destdir', dest, '--no-rebuild', '--quiet'], { stdio: 'pipe' });
    const installed = find(dest, 'klantportal');
    assert.ok(installed, 'bin/klantportal installed');
    const share = path.join(path.dirname(path.dirname(installed)), 'share', 'klantportal');
    for (const f of ['templates/layout.html', 'static/style.css', 'migrations/sqlite/0001_domain.sql', 'migrations/postgresql/0001_domain.sql']) {
      assert.ok(fs.existsSync(path.join(share, f)), `${f} installed`);
    }
    fs.mkdirSync(path.join(work, 'db'));
    ownForServer(work);
    const port = await freePort();
    const env = { ...process.env, KLANTPORTAL_DB: `sqlite:${work}/db/kp.db`, KLANTPORTAL_MAIL_DIR: `${work}/mail`,
      KLANTPORTAL_SECRET_KEY_FILE: `${work}/db/key`, KLANTPORTAL_LISTEN: `127.0.0.1:${port}`, KLANTPORTAL_QUIET: '1' };
    delete env.KLANTPORTAL_DATA_DIR;
    execFileSync(installed, ['migrate'], { env, cwd: '/', stdio: 'pipe' });
    execFileSync(installed, ['demo'], { env, cwd: '/', stdio: 'pipe' });
    assert.ok(Number(await sqlValue(`sqlite:${work}/db/kp.db`, 'SELECT count(*) FROM schema_migrations')) >= 9);
    child = spawn(installed, ['serve'], { env, cwd: '/', stdio: 'ignore' });
    let page;
    for (let i = 0; i < 100 && !page; i++) {
      await sleep(100);
      page = await fetch(`http://127.0.0.1:${port}/cursusagenda`).catch(() => null);
    }
    assert.equal(page?.status, 200);
    assert.match(await page.text(), /Cursusagenda/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/static/style.css`)).status, 200);
  } finally {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    }
    fs.rmSync(dest, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});

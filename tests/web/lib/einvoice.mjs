// The EN 16931 rules of CEN for e-invoices, run with Saxon-HE: every invoice and credit note the
// tests make is put through them. The validator lives beside the repository
// (../shared/einvoice/validate) or where KP_EINVOICE_VALIDATE says.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const VALIDATOR = process.env.KP_EINVOICE_VALIDATE || path.resolve(root, '../shared/einvoice/validate');
/** A reason to skip the e-invoice checks, or false when the validator is here. */
export const noValidator = fs.existsSync(VALIDATOR) && fs.existsSync('/usr/share/java/Saxon-HE.jar')
  ? false
  : `EN 16931-validator of Saxon-HE niet gevonden (${VALIDATOR})`;

/** Runs the rules over one UBL document; resolves to { ok, fatal, output }. */
export async function validateEinvoice(xml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-ubl-'));
  const file = path.join(dir, 'invoice.xml');
  fs.writeFileSync(file, xml);
  try {
    return await new Promise((resolve) => {
      execFile(VALIDATOR, [file], { timeout: 120000 }, (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        const fatal = output.split('\n').filter((l) => l.startsWith('fatal '));
        resolve({ ok: !err && fatal.length === 0, fatal, output });
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

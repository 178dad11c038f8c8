import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const redress = (args: string[], env: Record<string, string>) =>
  run('node', ['bin/redress.mjs', ...args], { env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env } });

describe('redress transcript', () => {
  it('files a call as a ticket, the same call twice is the same ticket, --dry-run files nothing', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'redress-call-')) };
    const dry = JSON.parse(
      (await redress(['transcript', 'test/fixtures/transcripts/call.contact-lens.json', '--dry-run'], env)).stdout,
    );
    expect(dry.record).toMatchObject({ name: 'Miriam Cole', orderNumber: 'AB7712' });
    expect(dry.call.format).toBe('aws-contact-lens');
    const a = JSON.parse(
      (
        await redress(
          [
            'transcript',
            'test/fixtures/transcripts/call.contact-lens.json',
            '--call-id',
            'cli-1',
            '--caller-phone',
            '+14155550199',
          ],
          env,
        )
      ).stdout,
    );
    expect(a).toMatchObject({ reference: 'CMP-000001', channel: 'phone', customer: { phone: ['+14155550132'] } });
    const b = JSON.parse(
      (await redress(['transcript', 'test/fixtures/transcripts/call.srt', '--call-id', 'cli-1'], env)).stdout,
    );
    expect(b.reference).toBe('CMP-000001');
    const bad = await redress(['transcript', 'test/fixtures/transcripts/nope.txt'], env).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read test\/fixtures\/transcripts\/nope\.txt/);
  });
});

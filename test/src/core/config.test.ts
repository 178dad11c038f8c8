import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDialogError } from '../../../dialogs/errors.ts';
import { parseRoutingConfig } from '../../../dialogs/routing-config.ts';
import { configTable, loadConfig } from '../../../src/core/config.ts';
import { isRedressError } from '../../../src/core/errors.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';

describe('configuration', () => {
  it('defaults need nothing set', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3978,
      DATA_DIR: './data',
      DEFAULT_LANGUAGE: 'en',
      SATISFACTION_CHECK_DAYS: 7,
    });
  });

  it('lists every problem by variable name in one error', () => {
    let error: any;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        ADMIN_TOKEN: 'short',
        MicrosoftAppId: 'abc',
        MicrosoftAppType: 'SingleTenant',
        SLA_REMINDER_FRACTION: '2',
      });
    } catch (e) {
      error = e;
    }
    expect(error.code).toBe('CONFIG_INVALID');
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'ADMIN_TOKEN',
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
      'SLA_REMINDER_FRACTION',
    ]) {
      expect(error.message).toContain(`${name}:`);
    }
    expect(error.details).toHaveLength(6);
  });

  it('LLM understanding: off by default; LLM_URL needs LLM_MODEL and must be an http(s) URL without credentials', () => {
    expect(loadConfig({})).toMatchObject({
      LLM_URL: undefined,
      LLM_MODEL: undefined,
      LLM_API_KEY: undefined,
      LLM_TIMEOUT_MS: 3000,
    });
    expect(
      loadConfig({ LLM_URL: 'http://localhost:11434/v1', LLM_MODEL: 'llama3.1:8b', LLM_TIMEOUT_MS: '500' }),
    ).toMatchObject({ LLM_URL: 'http://localhost:11434/v1', LLM_MODEL: 'llama3.1:8b', LLM_TIMEOUT_MS: 500 });
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as { details: string[] }).details;
      }
    };
    expect(problems({ LLM_URL: 'http://localhost:11434/v1' })).toEqual(['LLM_MODEL: is required when LLM_URL is set']);
    expect(problems({ LLM_URL: 'http://localhost:11434/v1', LLM_MODEL: '' })).toEqual([
      'LLM_MODEL: is required when LLM_URL is set',
    ]);
    // Listed with the other problems, even when another LLM variable is invalid too.
    expect(problems({ LLM_URL: 'ftp://models.example.com', LLM_TIMEOUT_MS: '0' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LLM_URL: /),
        expect.stringMatching(/^LLM_TIMEOUT_MS: /),
        'LLM_MODEL: is required when LLM_URL is set',
      ]),
    );
    expect(problems({ LLM_URL: 'https://user:secret@llm.example.com/v1', LLM_MODEL: 'm' })).toEqual([
      'LLM_URL: must not hold credentials (use LLM_API_KEY)',
    ]);
    expect(problems({ LLM_URL: 'http://localhost:11434', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '30001' })).toEqual([
      expect.stringMatching(/^LLM_TIMEOUT_MS: /),
    ]);
  });

  it('the table in docs/configuration.md is the one generated from the schema', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toContain(configTable());
  });

  it('.env.example names every variable', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const line of configTable().split('\n').slice(2)) expect(example).toContain(/`(\w+)`/.exec(line)![1]);
  });
});

describe('routing configuration', () => {
  it('the shipped file is valid and covers the six complaint objects', () => {
    const c = parseRoutingConfig(readFileSync('dialogs/routing.yaml', 'utf8'));
    expect(c.categories.map((x) => x.id)).toEqual([
      'product_quality',
      'service_attitude',
      'billing_pricing',
      'misleading_advertising',
      'delivery_logistics',
      'after_sales',
    ]);
  });

  const bad = `version: 1
departments: [{ id: sales, name: { en: Sales, zh-Hans: 销售 }, escalation: boss }]
categories: [{ id: x, department: nowhere, label: { en: X, zh-Hans: X }, keywords: { en: [1] } }]
default_category: { id: general, department: sales, label: { en: G, zh-Hans: G } }
severity: {}
sla_hours: { urgent: -1, serious: 24, ordinary: 72 }`;

  it('an invalid file is refused with every problem and its path', () => {
    expect(() => parseRoutingConfig(bad)).toThrow(/categories\.0\.keywords\.en\.0[\s\S]*sla_hours\.urgent/);
    expect(() => parseRoutingConfig('version: [')).toThrow(/not valid YAML/);
    expect(() => parseRoutingConfig('version: [')).toThrow(expect.objectContaining({ code: 'ROUTING_INVALID' }));
  });

  it('read from a file by src/, the error is a RedressError with the same code, message and list of problems', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'redress-routing-')), 'routing.yaml');
    writeFileSync(file, bad);
    const e = catching(() => loadRoutingConfig(file));
    expect(isRedressError(e, 'ROUTING_INVALID') && e.status).toBe(500);
    expect(e.message).toBe(catching(() => parseRoutingConfig(bad, file)).message);
    expect(e.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^categories\.0\.keywords\.en\.0: /),
        expect.stringMatching(/^sla_hours\.urgent: /),
      ]),
    );
    expect(isDialogError(e.cause, 'ROUTING_INVALID')).toBe(true);
    expect(
      isRedressError(
        catching(() => loadRoutingConfig(join(file, '..', 'missing.yaml'))),
        'ROUTING_INVALID',
      ),
    ).toBe(true);
  });
});

/** The error `f` throws. */
function catching(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

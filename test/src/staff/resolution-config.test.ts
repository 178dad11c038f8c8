import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseRoutingConfig } from '../../../dialogs/routing-config.ts';
import { checkResolution } from '../../../src/staff/resolution.ts';
import { resolutionText } from '../../../src/staff/resolution-text.ts';

const yaml = readFileSync('dialogs/routing.yaml', 'utf8');
const withLists = (change: (raw: any) => void) => {
  const raw = parse(yaml);
  change(raw);
  return stringify(raw);
};
const base = { remedy: 'refund', cause: 'product_defect', message: 'Done.' };

describe('remedies and root causes in routing.yaml', () => {
  it('default to the seven remedies and one cause per fault when absent', () => {
    const c = parseRoutingConfig(
      withLists((raw) => {
        delete raw.remedies;
        delete raw.root_causes;
      }),
    );
    expect(c.remedies.map((r) => r.id)).toEqual([
      'refund',
      'replacement',
      'repair',
      'compensation',
      'apology',
      'explanation',
      'none',
    ]);
    expect(c.root_causes.map((r) => r.fault)).toEqual(['product', 'staff', 'process', 'partner', 'misunderstanding']);
    expect(parseRoutingConfig(yaml).root_causes).toEqual(c.root_causes);
  });

  it('refuses an unknown fault, a duplicate id and an empty list, naming the path', () => {
    const bad = withLists((raw) => {
      raw.root_causes[0].fault = 'weather';
      raw.remedies.push({ id: 'refund', label: { en: 'Refund again', 'zh-Hans': '再退款' } });
    });
    expect(() => parseRoutingConfig(bad)).toThrow(/root_causes\.0\.fault: /);
    expect(() => parseRoutingConfig(bad)).toThrow(/remedies: remedy ids must be unique/);
    expect(() => parseRoutingConfig(withLists((raw) => (raw.root_causes = [])))).toThrow(/root_causes/);
  });

  it('a resolution is checked against the lists, and an unknown id is answered with the known ones', () => {
    const c = parseRoutingConfig(yaml);
    expect(checkResolution(c, base).cause.fault).toBe('product');
    expect(() => checkResolution(c, { ...base, remedy: 'voucher' })).toThrow(
      'unknown remedy "voucher"; known: refund, replacement, repair, compensation, apology, explanation, none',
    );
    try {
      checkResolution(c, { ...base, cause: 'fate' });
    } catch (e) {
      expect((e as { code: string }).code).toBe('BAD_REQUEST');
    }
  });
});

describe('the message to the customer', () => {
  it("frames staff's words in the ticket's language, and falls back to English for a language it does not answer in", () => {
    expect(resolutionText('zh-Hant', 'CMP-000007', '已退款。')).toBe(
      '關於您的投訴 CMP-000007，我們已處理完畢：\n\n已退款。',
    );
    expect(resolutionText('zh-Hans', 'CMP-000007')).toBe(
      '您的投诉 CMP-000007 已处理完毕。如果仍有问题，请在这里告诉我们。',
    );
    expect(resolutionText('fr', 'CMP-000007', 'Done.')).toBe(
      'About your complaint CMP-000007, which we have now resolved:\n\nDone.',
    );
  });
});

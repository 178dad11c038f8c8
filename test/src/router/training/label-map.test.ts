import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRoutingConfig } from '../../../../dialogs/routing-config.ts';
import { applyLabelMap, combineLabelMaps, parseLabelMaps } from '../../../../src/router/training/label-map.ts';
import { train } from '../../../../src/router/training/train.ts';

describe('label merging', () => {
  it('parses --map old=new, splitting at the first "=", and refuses a half map', () => {
    expect(parseLabelMaps(['Bank account or service=Checking or savings account', ' a = b=c '])).toEqual({
      'Bank account or service': 'Checking or savings account',
      a: 'b=c',
    });
    for (const bad of ['no-equals', '=new', 'old=', ' = '])
      expect(() => parseLabelMaps([bad]), bad).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('combines maps (the later wins), follows chains of renames and refuses a cycle', () => {
    expect(combineLabelMaps({ a: 'b', x: 'y' }, { x: 'z' })).toEqual({ a: 'b', x: 'z' });
    expect(combineLabelMaps({ old: 'newer' }, { newer: 'newest' })).toEqual({ old: 'newest', newer: 'newest' });
    expect(() => combineLabelMaps({ a: 'b', b: 'a' })).toThrow(/cycle: "a" → "b" → "a"/);
    expect(applyLabelMap(['old', 'kept', 'newer'], { old: 'newest', newer: 'newest' })).toEqual([
      'newest',
      'kept',
      'newest',
    ]);
  });

  it('the routing configuration has a labels: map, validated', () => {
    const base = readFileSync('dialogs/routing.yaml', 'utf8');
    const c = parseRoutingConfig(`${base}\nlabels:\n  "Bank account or service": "Checking or savings account"\n`);
    expect(c.labels).toEqual({ 'Bank account or service': 'Checking or savings account' });
    expect(parseRoutingConfig(base).labels).toEqual({});
    expect(() => parseRoutingConfig(`${base}\nlabels:\n  old: ""\n`)).toThrow(/labels\.old/);
  });

  it('a merged label trains as one class and the model file records the map for eval', () => {
    const texts = [
      'my card was charged twice',
      'double charge on my card',
      'charged twice for one coffee',
      'the parcel never arrived',
      'my parcel is lost',
      'the courier lost my parcel',
    ];
    const map = { 'card payments': 'cards' };
    const labels = applyLabelMap(['cards', 'card payments', 'cards', 'parcels', 'parcels', 'parcels'], map);
    const m = train(texts, labels, { folds: 0, labelMap: map });
    expect(m.labels).toEqual(['cards', 'parcels']);
    expect(m.training.counts).toEqual({ cards: 3, parcels: 3 });
    expect(m.training.labelMap).toEqual(map);
  });
});

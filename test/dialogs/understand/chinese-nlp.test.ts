/** The Chinese product reading: a noun the customer marks as bought, used or owned, read through jieba, not a list. */
import { describe, expect, it } from 'vitest';
import { productWithConfidence } from '../../../dialogs/extract.ts';
import { toSimplified } from '../../../dialogs/language/detect.ts';
import { productPhraseZh, segment } from '../../../dialogs/understand/chinese-nlp.ts';

describe('productPhraseZh', () => {
  it.each([
    ['我上周买的咖啡机一直没有送到', '咖啡机'],
    ['这台吸尘器用了两天就坏了', '吸尘器'],
    ['我的电动牙刷充不进电', '电动牙刷'],
    ['这款沐浴露味道很刺鼻', '沐浴露'],
    // Traditional text is read after conversion, like every Chinese pattern.
    ['我買的這台咖啡機壞了', '咖啡机'],
  ])('%s → %s', (text, product) => {
    expect(productPhraseZh(toSimplified(text))).toEqual({ value: product, confidence: 0.65 });
  });

  it.each([['垃圾，差劲，再也不买了'], ['这家的服务态度太差了'], ['这个价位太贵了'], ['快递太慢了，三天才到']])(
    'reads no product in %s (judgements, qualities and the shop are not products)',
    (text) => {
      expect(productPhraseZh(text)).toBeUndefined();
    },
  );

  it('a listed product comes first; 手机号 is a phone number, not a phone', () => {
    expect(productWithConfidence('我的手机号是13800138000，上周买的咖啡机坏了')).toEqual({
      value: '咖啡机',
      confidence: 0.65,
    });
    expect(productWithConfidence('我的手机屏幕碎了')).toEqual({ value: '手机', confidence: 0.85 });
  });

  it('reads only the start of a long text', () => {
    const words = segment(`${'很好'.repeat(400)}我买的咖啡机坏了`);
    expect(words.map((w) => w.word).join('')).toHaveLength(600);
  });
});

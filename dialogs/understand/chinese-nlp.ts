/**
 * Chinese word segmentation with parts of speech (jieba through @node-rs/jieba: a prebuilt binary inside the npm
 * package, no download) for what a word list cannot find: the product a Chinese complaint is about is any noun, not
 * one of a list. The dictionary is built the first time a Chinese story names no listed product (once per process,
 * about 0.1 s and 35 MB resident), so a process that serves no such story never pays for it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Jieba } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
// Segmenting costs about 0.5 ms per 1,000 characters; the product is named early, so only the start is read.
const WINDOW = 600;

// The words kept from jieba's 349,000: every noun seen 3 times or more (products are nouns), and any word seen 10
// times or more; the rare rest (idioms, rare verbs) is left to jieba's HMM. 190,000 words: about 35 MB resident
// instead of 53 MB. Filtered on the bytes ("word freq tag" lines, ASCII after the word): decoding and splitting the
// 5 MB as strings took 0.4 s.
const NOUN_TAGS = new Set(['n', 'nz', 'vn', 'nt']);
function keptWords(dict: Buffer): Buffer {
  const out = Buffer.allocUnsafe(dict.length);
  let size = 0;
  for (let start = 0; start < dict.length;) {
    let end = dict.indexOf(10, start);
    if (end < 0) end = dict.length;
    const space = dict.indexOf(32, start);
    if (space > start && space < end) {
      let freq = 0;
      let i = space + 1;
      for (; i < end && dict[i] >= 48 && dict[i] <= 57; i++) freq = Math.min(freq * 10 + dict[i] - 48, 1e9);
      const tag = dict.toString('latin1', i + 1, end).trim();
      if (freq >= 10 || (freq >= 3 && NOUN_TAGS.has(tag))) {
        size += dict.copy(out, size, start, end);
        out[size++] = 10;
      }
    }
    start = end + 1;
  }
  return out.subarray(0, size);
}

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  if (!jieba) {
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    // The dictionary file itself, not '@node-rs/jieba/dict.js': that module also keeps the 6 MB keyword table
    // (idf.txt) in memory for good, which intake never uses.
    jieba = JiebaClass.withDict(
      keptWords(readFileSync(join(dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt'))),
    );
  }
  return jieba;
}

/** One segmented word and its jieba part-of-speech tag (n noun, nz proper noun, v verb, a adjective, x punctuation …). */
export interface ZhWord {
  word: string;
  tag: string;
}

/** The words of the start of `simplified` (Simplified Chinese, as every Chinese pattern reads) with their tags. */
export function segment(simplified: string): ZhWord[] {
  const text = simplified.length > WINDOW ? simplified.slice(0, WINDOW) : simplified;
  return segmenter().tag(text, true);
}

// Nouns that are not what a complaint is about: people, time, the shop and its staff, qualities of the thing, the
// complaint itself, contact details, and the words jieba tags as nouns that judge rather than name (垃圾, 差劲).
const NOT_PRODUCTS = new Set([
  '客服',
  '态度',
  '服务',
  '质量',
  '品质',
  '问题',
  '时间',
  '时候',
  '物流',
  '快递',
  '快递员',
  '商家',
  '卖家',
  '店家',
  '老板',
  '店铺',
  '网店',
  '京东',
  '淘宝',
  '天猫',
  '价格',
  '价钱',
  '效果',
  '味道',
  '包装',
  '速度',
  '售后',
  '订单',
  '电话',
  '号码',
  '手机号',
  '地址',
  '朋友',
  '老公',
  '老婆',
  '孩子',
  '妈妈',
  '爸爸',
  '家人',
  '同事',
  '东西',
  '商品',
  '产品',
  '宝贝',
  '货',
  '评价',
  '好评',
  '差评',
  '感觉',
  '心情',
  '体验',
  '情况',
  '结果',
  '原因',
  '地方',
  '样子',
  '颜色',
  '尺寸',
  '大小',
  '声音',
  '钱',
  '天',
  '小时',
  '分钟',
  '今天',
  '昨天',
  '前天',
  '上周',
  '上个月',
  '工作人员',
  '前台',
  '经理',
  '师傅',
  '头皮',
  '头发',
  '皮肤',
  '身体',
  '肚子',
  '眼睛',
  '退款',
  '退货',
  '换货',
  '赔偿',
  '投诉',
  '理由',
  '办法',
  '方法',
  '作者',
  '内容',
  '部分',
  '一点',
  '有点',
  '系统',
  '电池',
  '屏幕',
  '垃圾',
  '骗子',
  '差劲',
  '浪费',
  '恶心',
  '购物',
  '发货',
  '评论',
  '短信',
  '牌子',
  '环节',
  '费力',
  '大家',
  '消费者',
  '死机',
  '降价',
  '无法',
  '联系',
  '活动',
  '消息',
  '赠品',
  '发票',
  '假货',
  '男人',
  '女人',
  '权益',
  '开机',
  '关机',
  '心灵',
  '容量',
  '信誉',
  '实际',
  '水平',
  '薪水',
  '状况',
  '价位',
  '个头',
  '模样',
  '证件',
  '功能',
  '性能',
  '档次',
  '规格',
  // The aspects reviews judge a thing by: they follow its name (平板 分辨率) but are not part of it.
  '总体',
  '整体',
  '分辨率',
  '图片',
  '照片',
  '外观',
  '像素',
  '配置',
  '设计',
  '做工',
  '材质',
  '手感',
  '性价比',
  '尺码',
  '款式',
  '信号',
  '续航',
  '音质',
  '画质',
]);
// Compounds that name a quality of the thing or the shop (服务态度, 产品质量), not the thing.
const QUALITY_END = /(?:态度|质量|服务|水平|速度|效果|价格|问题)$/;
// Tags that can start or continue a product's name: nouns, proper nouns, places and names (brands: 美的/nr, 蓝牙/ns)
// and verbal nouns (电动 牙刷/vn). Only n and nz stand alone; a name of several words ends in a noun or a verbal noun.
const NAMING = new Set(['n', 'nz', 'vn', 'nr', 'ns', 'nrt']);
const NOUN = new Set(['n', 'nz']);
// jieba's HMM tags unknown two-character judgements as nouns (太小, 很差): they never continue a name.
const NOT_NAME_START = /^[太很不没真好也都就还]/u;
const MAX_NAME_WORDS = 4;
// What marks a noun as the thing bought or used: 买的 / 购买的 / 收到的 … before it, or 这款 / 这台 / 那个 …, or 我的.
const BOUGHT = /^(?:买|购买|订|订购|入手|收到|用|使用|我|我们|我家)$/;
const THIS = /^(?:这|那)(?:个|款|台|部|件|双|瓶|本|条|种|家|套|盒|箱)?$/;
const CLASSIFIER = /^(?:个|款|台|部|件|双|瓶|本|条|种|家|套|盒|箱)$/;

/**
 * The product or service a Chinese complaint is about, as the customer named it: a noun marked as the thing bought,
 * used or owned (我上周买的洗发水, 这款热水器, 我的笔记本), not one of a list; 0.65 sure, like the English tagger's
 * reading (on the shared reviews that name no listed product, about half of these readings are the product), so the
 * dialog shows it for confirmation rather than assuming it. A noun with no such mark is not taken: jieba tags
 * judgements as nouns too (垃圾, 差劲), and "your garbage" is no restatement; the dialog asks.
 */
export function productPhraseZh(simplified: string): { value: string; confidence: number } | undefined {
  const words = segment(simplified);
  const naming = (w: ZhWord | undefined) =>
    !!w && NAMING.has(w.tag) && !NOT_PRODUCTS.has(w.word) && !QUALITY_END.test(w.word) && !NOT_NAME_START.test(w.word);
  for (let i = 1; i < words.length; i++) {
    if (!naming(words[i])) continue;
    const before = words[i - 1].word;
    const marked =
      (before === '的' && BOUGHT.test(words[i - 2]?.word ?? '')) ||
      THIS.test(before) ||
      (CLASSIFIER.test(before) && THIS.test(words[i - 2]?.word ?? ''));
    if (!marked) continue;
    // The name runs over the naming words that follow (小米 手机, 无线 蓝牙 耳机); it must end in a noun.
    let end = i + 1;
    while (end < words.length && end - i < MAX_NAME_WORDS && naming(words[end])) end++;
    while (end > i + 1 && !NOUN.has(words[end - 1].tag) && words[end - 1].tag !== 'vn') end--;
    if (end === i + 1 && !NOUN.has(words[i].tag)) continue;
    const name = words
      .slice(i, end)
      .map((w) => w.word)
      .join('');
    if ([...name].length < 2) continue;
    return { value: name, confidence: 0.65 };
  }
  return undefined;
}

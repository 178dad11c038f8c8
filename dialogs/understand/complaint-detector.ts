/**
 * Complaint or not: is there anything in this message that a complaint desk should open a ticket for? Every channel
 * asks this first: a call or an email with no complaint in it opens no ticket, and a chat that is only a question gets
 * a polite answer instead of an intake dialog.
 *
 * Two parts:
 * - a learned model (the router's softmax regression over word and character n-grams, two labels), trained by
 *   src/router/training/train-complaint.ts on the shared data and committed as dialogs/complaint-model.json, with a threshold
 *   per language picked by cross-validation on the training part for high recall;
 * - a few explicit signals where the data is thin: words that always mean a complaint (a guard for recall), messages
 *   that are only thanks or a greeting, and short messages that are only a question. The Chinese data in particular
 *   has real complaints (product reviews) but few real non-complaints, so questions and thanks need the rules.
 *
 * The bias is toward recall: a complaint called "not a complaint" turns a customer away, while a question called a
 * complaint only costs the customer one more turn. So the explicit complaint words win over everything else, and a
 * pure question is still a complaint when the model is very sure of it ("Where is my refund?").
 *
 * Pure and synchronous; the model is read once, on first use. Text arrives cut to 4,000 characters by boundText, and
 * every pattern here is linear (alternations of literals, no nested quantifiers).
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { normalise } from '../classifier/features.ts';
import { Model, modelFileSchema } from '../classifier/model.ts';
import { DialogError } from '../errors.ts';

/** What the detector says about one message. */
export interface ComplaintDetection {
  complaint: boolean;
  /** How sure the detector is of `complaint` (0.5–1). */
  confidence: number;
  /** Why, in words for logs and staff: the signals that decided and the model's strongest features. */
  reasons: string[];
  /** True when the message only closes or greets ("thanks", "ok", "你好"): nothing to take up, however often said. */
  closing?: boolean;
}

/** Format name and version of the complaint model file (a router model file inside, plus the decision thresholds). */
export const COMPLAINT_MODEL_FORMAT = 'redress-complaint-model';
export const COMPLAINT_MODEL_VERSION = 1;
/** The committed model, relative to this file: a module of the package, like wink-nlp's model (no file I/O here). */
const COMPLAINT_MODEL_MODULE = '../complaint-model.json';

/** The decision thresholds on the model's complaint probability, per language. */
export const thresholdsSchema = z.object({
  /** At or above: a complaint. */
  en: z.number(),
  zh: z.number(),
  /** A message that is only a question (and names no complaint word) is a complaint only at or above these. */
  questionEn: z.number(),
  questionZh: z.number(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const complaintModelFileSchema = z.object({
  format: z.literal(COMPLAINT_MODEL_FORMAT),
  version: z.literal(COMPLAINT_MODEL_VERSION),
  createdAt: z.string(),
  complaintLabel: z.string(),
  thresholds: thresholdsSchema,
  /** How the thresholds were picked and what the held-out split measured; for people, not read at run time. */
  training: z.record(z.string(), z.unknown()),
  model: modelFileSchema,
});
export type ComplaintModelFile = z.infer<typeof complaintModelFileSchema>;

/** A loaded complaint model. */
export interface ComplaintModel {
  model: Model;
  complaintLabel: string;
  thresholds: Thresholds;
}

/** Builds a usable model from a parsed file (also used by the training script on models it has just fitted). */
export function complaintModel(file: ComplaintModelFile): ComplaintModel {
  const model = new Model(file.model);
  if (!model.labels.includes(file.complaintLabel))
    throw new Error(`complaint model has no label "${file.complaintLabel}"`);
  return { model, complaintLabel: file.complaintLabel, thresholds: file.thresholds };
}

let loaded: ComplaintModel | undefined;

/** The committed model, read and checked on first use. */
export function defaultComplaintModel(): ComplaintModel {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const parsed = complaintModelFileSchema.safeParse(require(COMPLAINT_MODEL_MODULE));
  // The schema copies what it checks: the raw object need not stay in require's cache for the life of the process.
  delete require.cache[require.resolve(COMPLAINT_MODEL_MODULE)];
  if (!parsed.success) {
    const message = `dialogs/complaint-model.json is not a complaint model of format version ${COMPLAINT_MODEL_VERSION}: ${parsed.error.issues[0]?.message}; retrain it with src/router/training/train-complaint.ts`;
    throw new DialogError('MODEL_INVALID', message, { cause: parsed.error });
  }
  loaded = complaintModel(parsed.data);
  return loaded;
}

// ---- Explicit signals. All run on normalise()d text: NFKC, lower case, Simplified script, URLs and long numbers masked.

/**
 * English words and phrases that mean something went wrong. Any one of them makes the message a complaint, whatever
 * the model says: they are what a turned-away customer would most likely have written. Kept to phrases that do not
 * occur in plain questions ("late" is not here: "how late are you open?").
 */
const EN_COMPLAINT =
  /\b(?:broken|damaged|faulty|defective|cracked|smashed|(?:not|stopped|never|isn't|wasn't) working|(?:doesn't|does not|didn't|did not|won't|will not|can't|cannot) (?:work|turn on|charge|load|start|connect|log in|open)|never (?:arrived|came|received|got|showed up|turned up)|(?:hasn't|has not|haven't|have not|didn't|did not|still not|not yet) (?:arrived|come|received|been (?:delivered|refunded|fixed|resolved))|still (?:waiting|no |not |nothing|haven't|hasn't|hav(?:en't|e not) )|charged (?:me )?twice|double[- ]?charged|overcharged|refund|compensation|terrible|awful|horrible|worst|useless|rude|disappointed|disappointing|unacceptable|ridiculous|disgusting|pathetic|complain(?:t|ts|ed|ing)?|scam|rip[- ]?off|nobody (?:answers|replies|called|helps|cares)|no one (?:answers|replies|called|helps|cares)|hung up|fed up|sick of|wrong (?:item|order|size|amount|charge|product|address)|missing|for nothing|never (?:responded|replied|heard back|got back|called back)|any update|(?:is|are|was|were|been|goes|went) down\b|what(?:'s| is) going on|waste of|furious|angry|annoyed|frustrat(?:ed|ing)|caught fire|on fire|burst into flames|(?:started|was|is|kept) (?:smoking|sparking)|sparks (?:came|flew)|exploded|electric shock|electrocuted|injured|food poisoning|soaked|got wet|left (?:it |my \w+ )?(?:in|out in) the rain)/;

/**
 * Chinese words that mean something went wrong (Simplified; Traditional text is converted first). Chosen to avoid
 * the everyday words they hide in: 差 alone is in 差不多 and 差价, 错 in 不错 (good), 问题 also means "a question".
 */
const ZH_COMPLAINT =
  /假的|坏了|坏的|损坏|破损|破了|破的|碎了|什么情况|怎么回事|搞什么|烂了|差评|太差|很差|真差|极差|质量差|服务差|差劲|失望|投诉|退款|退货|骗|坑人|坑爹|垃圾|不回|没人理|没人管|没回复|没收到|还没到|还没发|还没寄|还没收到|还没有收到|还没回|不能用|用不了|不好用|没法用|故障|漏发|少发|少寄|发错|错发|搞错|弄错|假货|次品|恶心|无语|后悔|上当|不满|生气|糟糕|不值|太慢|慢死|气死|欺骗|敷衍|赔偿|不耐用|不新鲜|异味|发霉|太脏|很脏|好脏|湿了|淋湿|弄湿|泡水|弄丢|丢件|摔坏|压坏|划伤|划痕|变质|过期|漏水|漏液|冒烟|起火|着火|漏电|触电|爆炸|受伤|多扣|乱扣|重复扣|扣了两次|多收|乱收费|被取消|延误|迟迟|态度差|态度不好|不发货|没发货/;

/**
 * A message that is only thanks, a greeting or an acknowledgement: thanks anywhere in a short message, or a greeting or
 * "ok" as the whole message. Not "great" or "perfect" at the start of a message: "Great, another cancelled train".
 */
const EN_THANKS = /\bthank(?:s| you| u)\b|\bthx\b/;
const EN_GREETING_OR_ACK =
  /^(?:hi|hello|hey|good (?:morning|afternoon|evening)|ok|okay|yes|yep|sure|got it|cool|bye|goodbye)(?: there)?[\s!.,~]*$/;
const ZH_THANKS = /谢谢|感谢|多谢|谢啦|辛苦了|你好|您好|再见|拜拜/;
const ZH_ACK = /^(?:好的?|好吧|对的?|嗯|哦|是的|可以|行|在吗?|亲|ok)[\s啊呀哈啦了吧呢哦嗯!！。.~～，,]*$/;

/** A message that asks: a question mark at the end, or a question word at the start. */
// An auxiliary first asks ("Does it ship to China"); a wh-word asks only with an auxiliary after it: "When does my
// code expire" asks, "When a representative offers us…" tells.
const EN_QUESTION_START =
  /^(?:(?:can|could|do|does|did|is|are|was|were|will|would|may|should|have|has)\b|(?:what|when|where|which|who|how)(?:'s|\s(?:do|does|did|is|are|was|were|can|could|will|would|should|much|many|long|often)\b))/;
const ZH_QUESTION = /[吗呢么]|请问|几点|什么|多少|怎么|怎样|如何|哪|是否|能不能|可不可以|有没有|可以.{0,12}吗/;
/**
 * What makes a question about a problem rather than a request for information: a negation, "why", or chasing words.
 * "What are your opening hours?" and "When does my promo code expire?" have none; "Why is my order not here yet?" has
 * several. A question about the customer's own things ("my", 我) with no such word is a complaint only when the model
 * is sure of it ("Is my order coming today?" is, "When does my promo code expire?" is not).
 */
const EN_PROBLEM = /\b(?:not|no|never|nothing|why|still|yet|again|already|wrong|twice)\b|n't|how come/;
const ZH_PROBLEM = /不|没|别|为什么|为啥|还要|又|已经|怎么还/;
const EN_SELF = /\b(?:i|i'm|i've|i'd|i'll|my|me|mine|we|our|us)\b/;
const ZH_SELF = /我|咱/;
// How sure the model must be of a question about the customer's own things with no sign of a problem.
const SELF_QUESTION_P = 0.5;
const QUESTION_MARK_END = /[?？]\s*$/;
const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[a-z]{2,}/g;

// A question longer than this usually tells a story around it: the model decides alone.
const MAX_QUESTION_CHARS_EN = 160;
const MAX_QUESTION_CHARS_ZH = 50;
const MAX_THANKS_CHARS_EN = 80;
const MAX_THANKS_CHARS_ZH = 20;

/** The explicit signals of a normalised text. */
export interface Signals {
  lang: 'en' | 'zh';
  /** The complaint word found, if any. */
  cue?: string;
  /** Thanks in a short message. */
  thanks: boolean;
  /** The whole message is a greeting or an acknowledgement ("hello", "ok", "好的"). */
  ack: boolean;
  /** A short message that is only a question. */
  question: boolean;
  /** ...and a question about the business, with nothing of the customer's own situation in it. */
  infoQuestion: boolean;
  /** ...or a question about the customer's own things ("my order") with no sign of a problem. */
  selfQuestion: boolean;
}

/** Finds the explicit signals in `t`, a text already passed through normalise(). */
export function signals(t: string): Signals {
  const text = t.replace(/’/g, "'").trim();
  const han = text.match(HAN)?.length ?? 0;
  const lang = han >= 2 && han >= (text.match(LATIN_WORD)?.length ?? 0) ? 'zh' : 'en';
  // Both lists are checked whatever the language: a Chinese message may say "refund", an English one 退款.
  const cue = EN_COMPLAINT.exec(text)?.[0] ?? ZH_COMPLAINT.exec(text)?.[0];
  // Sentences: a question is "only a question" when it is the whole message, or nearly.
  const sentences = text.split(/[.!?。！？\n]+/).filter((s) => s.trim()).length;
  if (lang === 'zh') {
    const len = text.replace(/\s/g, '').length;
    const question =
      len <= MAX_QUESTION_CHARS_ZH && sentences <= 2 && (QUESTION_MARK_END.test(text) || ZH_QUESTION.test(text));
    const problem = ZH_PROBLEM.test(text);
    const self = ZH_SELF.test(text);
    return {
      lang,
      cue,
      thanks: len <= MAX_THANKS_CHARS_ZH && ZH_THANKS.test(text),
      ack: ZH_ACK.test(text),
      question,
      infoQuestion: question && !problem && !self,
      selfQuestion: question && !problem && self,
    };
  }
  const question =
    text.length <= MAX_QUESTION_CHARS_EN &&
    sentences <= 2 &&
    (QUESTION_MARK_END.test(text) || (sentences === 1 && EN_QUESTION_START.test(text)));
  const problem = EN_PROBLEM.test(text);
  const self = EN_SELF.test(text);
  return {
    lang,
    cue,
    thanks: text.length <= MAX_THANKS_CHARS_EN && EN_THANKS.test(text),
    ack: EN_GREETING_OR_ACK.test(text),
    question,
    infoQuestion: question && !problem && !self,
    selfQuestion: question && !problem && self,
  };
}

/** The decision from the model's complaint probability `p` and the signals; exported for threshold tuning. */
export function decide(p: number, s: Signals, thresholds: Thresholds): ComplaintDetection {
  const t = s.lang === 'zh' ? thresholds.zh : thresholds.en;
  const tq = s.lang === 'zh' ? thresholds.questionZh : thresholds.questionEn;
  const pct = (x: number) => x.toFixed(2);
  if (s.cue)
    return {
      complaint: true,
      confidence: Math.max(p, 0.9),
      reasons: [`complaint word "${s.cue}"`, `model p=${pct(p)}`],
    };
  if (s.ack)
    return {
      complaint: false,
      closing: true,
      confidence: 0.95,
      reasons: ['only a greeting or an acknowledgement', `model p=${pct(p)}`],
    };
  // Short thanks with no complaint word: the customer is done ("Thanks, that solved it!"). Sarcastic thanks usually
  // names what went wrong, and that word was checked first.
  if (s.thanks)
    return {
      complaint: false,
      closing: true,
      confidence: 0.9,
      reasons: ['thanks, no complaint word', `model p=${pct(p)}`],
    };
  if (s.infoQuestion)
    return {
      complaint: false,
      confidence: 0.9,
      reasons: ["a question about the business, nothing about a problem of the customer's", `model p=${pct(p)}`],
    };
  if (s.selfQuestion && p < SELF_QUESTION_P) {
    return {
      complaint: false,
      confidence: Math.max(1 - p, 0.6),
      reasons: [
        `a question about the customer's own things, no sign of a problem: p=${pct(p)} < ${pct(SELF_QUESTION_P)}`,
      ],
    };
  }
  // Other pure questions are not complaints unless the model is sure ("Is it almost resolved!!?").
  if (s.question) {
    const what = 'a question';
    return p >= tq
      ? { complaint: true, confidence: p, reasons: [`${what}, but the model is sure: p=${pct(p)} ≥ ${pct(tq)}`] }
      : {
          complaint: false,
          confidence: Math.max(1 - p, 0.6),
          reasons: [`only ${what}, no complaint word: p=${pct(p)} < ${pct(tq)}`],
        };
  }
  return p >= t
    ? { complaint: true, confidence: Math.max(p, 0.5), reasons: [`model p=${pct(p)} ≥ ${pct(t)} (${s.lang})`] }
    : { complaint: false, confidence: Math.max(1 - p, 0.5), reasons: [`model p=${pct(p)} < ${pct(t)} (${s.lang})`] };
}

/** The model's probability that `normalised` text is a complaint, and its strongest features either way. */
export function complaintProbability(m: ComplaintModel, text: string): { p: number; features: string[] } {
  const prediction = m.model.predict(text);
  return { p: prediction.probabilities[m.complaintLabel] ?? 0, features: prediction.features };
}

/** Whether `text` holds a complaint. `text` is customer text already cut by boundText. */
export function detectComplaint(text: string, m: ComplaintModel = defaultComplaintModel()): ComplaintDetection {
  if (!text.trim()) return { complaint: false, closing: true, confidence: 1, reasons: ['empty message'] };
  const { p, features } = complaintProbability(m, text);
  const d = decide(p, signals(normalise(text)), m.thresholds);
  if (features.length) d.reasons.push(`model's strongest features: ${features.slice(0, 3).join(', ')}`);
  return { ...d, confidence: Math.round(d.confidence * 1000) / 1000 };
}

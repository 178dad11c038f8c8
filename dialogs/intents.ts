/** Recognises what a message asks of the dialog itself: yes, no, cancel, start over, a human, abuse, a score. */
import { simplifiedOf } from './understand/simplified.ts';
import { stripTrailing } from './understand/bounded-text.ts';
import { findScore } from './survey-score.ts';

const norm = (t: string) => stripTrailing(simplifiedOf(t).trim().toLowerCase(), '!.,。！，~～').trim();
const short = (t: string, words = 6) => t.split(/\s+/).length <= words && t.length <= 60;

/** "yes", "that's right", "对", "是的". */
export function isYes(text: string): boolean {
  const t = norm(text);
  return (
    short(t) &&
    /^(y|yes|yeah|yep|yup|correct|right|exactly|that'?s (right|correct|it)|sure|ok|okay|confirmed?|spot on|对|对的|是|是的|没错|正确|嗯|好|好的|对啊|是啊)(?=$|[\s,，.。!！])/.test(
      t,
    )
  );
}

// A yes that opens a longer message: "Yes, that's right. My email is …". The delimiter after it is required, so
// "Yesterday…" and "是你们的…" are not a yes.
const LEADING_YES =
  /^\s?(?:yes|yeah|yep|yup|correct|exactly|that'?s (?:right|correct|it)|spot on|confirmed|对|对的|對|對的|是的|没错|沒錯|正确|正確|嗯|好的)[\s,，.。!！:：;；-]+(?:(?:that'?s (?:right|correct|it)|exactly|correct|all correct|没错|沒錯|对的|對的)[\s,，.。!！:：;；-]+)?/i;

/** The rest of a message that starts with a yes ("Yes, that's right. My email is …" → "My email is …"), or undefined. */
export function afterYes(text: string): string | undefined {
  const m = LEADING_YES.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length).trim();
  return rest || undefined;
}

/** "no", "not quite", "不对". */
export function isNo(text: string): boolean {
  const t = norm(text);
  return /^(n|no|nope|nah|not (quite|really|exactly)|wrong|incorrect|that'?s (wrong|not right)|不对|不是|错了|不正确|不)(\b|[,，\s]|$)/.test(
    t,
  );
}

/** The whole message is only a yes or a no ("yes", "nope", "对", "没有"): an answer, never a story. */
export function isBareYesOrNo(text: string): boolean {
  return /^(y|yes|yeah|yep|yup|correct|right|sure|ok|okay|n|no|nope|nah|对|对的|是|是的|没错|嗯|好|好的|不对|不是|不|没有)$/.test(
    norm(text),
  );
}

/** A short request to abandon the complaint ("cancel", "never mind", "算了"). */
export function isCancel(text: string): boolean {
  const t = norm(text);
  return (
    short(t, 4) &&
    /^(cancel( (it|this|that|the complaint))?|never ?mind|forget (it|about it)|stop|quit|取消|算了|不用了|不投诉了)$/.test(
      t,
    )
  );
}

/** "start over", "restart", "重新开始". */
export function isRestart(text: string): boolean {
  const t = norm(text);
  return (
    short(t) &&
    /^(start (over|again)|restart|reset|begin again|from the (start|beginning)|重新开始|重来|从头开始)$/.test(t)
  );
}

/** "new complaint", "something else" once a ticket exists. */
export function isNewComplaint(text: string): boolean {
  const t = norm(text);
  return (
    short(t) &&
    /^(new complaint|another complaint|a new complaint|different (issue|problem)|something else|新投诉|另一个投诉|还有别的问题)$/.test(
      t,
    )
  );
}

/**
 * Asking for a person rather than the bot: a short message naming one ("agent", "转人工"), or an explicit request in a
 * longer one ("can I speak to a manager"). Merely mentioning staff in a story ("their representative said...") is not.
 */
export function wantsHuman(text: string): boolean {
  const t = norm(text);
  if (
    /\b(let me|can i|could i|i want to|i'd like to|i would like to|i need to|please let me|put me through to|connect me (to|with)|transfer me to)\s(?:(?:speak|talk|chat)\s)?(?:(?:to|with)\s)?(a |an |the |someone|somebody|real |live |human)|\b(get me|give me) (a |an )?(human|person|agent|manager)\b|转人工|我要人工|找人工|人工客服|要真人|我要找经理/.test(
      t,
    )
  )
    return true;
  // Otherwise only a bare request: the person asked for and courtesy, nothing else. "The manager was rude" and
  // "客服太差了" name staff in a complaint; they ask for no one.
  if (/\p{Script=Han}/u.test(t)) return /人工|真人|客服|经理|主管/.test(t) && !t.replace(ZH_BARE_REQUEST, '');
  return PERSON_EN.test(t) && t.split(/[^a-z']+/).every((w) => !w || BARE_REQUEST_EN.has(w));
}

const PERSON_EN = /\b(human|person|agent|operator|representative|manager|supervisor|someone|somebody|staff)\b/;
const BARE_REQUEST_EN = new Set(
  "please pls plz i i'd want need would like to talk speak chat with a an the real live can could get me now asap just your you human person agent operator representative manager supervisor someone somebody staff customer service let put through connect transfer give hello hi ok okay".split(
    ' ',
  ),
);
const ZH_BARE_REQUEST =
  /请|给我|帮我|我要|我想|找|转|接|一下|吧|呢|啊|呀|人工|真人|客服|经理|主管|你们的?|的|[!！。.?？~～,，\s]/g;

/** "Are you a bot?", "是真人吗": the customer asks what they are talking to. */
export function asksIfBot(text: string): boolean {
  const t = norm(text);
  return (
    short(t, 10) &&
    /\b(?:are you|is this|am i (?:talking|speaking|chatting) (?:to|with))(?: just)? (?:a |an )?(?:bot|robot|chat ?bot|machine|ai|real person|human|person|computer|automated)\b|是机器人|机器人吗|是真人|真人吗|是人吗|是不是人|是不是机器人|是自动回复/.test(
      t,
    )
  );
}

/** "I already told you", "as I said", "说过了": a remark about the conversation, not more of the story. */
export function isMetaRemark(text: string): boolean {
  return /\b(?:i (?:already|just) (?:told|said|gave|sent|mentioned)|as i (?:said|told you|mentioned)|i said that|read (?:my|the) (?:message|messages|previous))\b|说过了|已经说了|刚才说了|刚说了|已经告诉/.test(
    norm(text),
  );
}

/** A message opening with a no ("no order number", "none of your business", "没有订单号"): an answer, not the story. */
export function opensWithNo(text: string): boolean {
  return /^(?:no|none|not|nothing|nope|nah)\b|^(?:没有|不是|不)/.test(norm(text));
}

/** "none", "I don't have one", "no idea", "skip", "no thanks", "I'd rather not say" as an answer to a question. */
export function isDecline(text: string): boolean {
  const t = norm(text);
  return (
    short(t, 8) &&
    /^(none|n\/a|na|no|nope|skip|pass|don'?t (have|know)( (one|it))?|((no|nope|sorry),? )?i (don'?t|do not) (have|know)( (one|it|any|that))?|not sure|no idea|can'?t remember|no,? thanks?( you)?|((i'?d|i would) )?rather not( say| give)?( (it|that|them|(my|any) \w+( \w+)?))?|(i'?d )?prefer not to( say| give)?( (it|that|them|(my|any) \w+( \w+)?))?|i don'?t want to( say| give)?( (it|that|them|(my|any) \w+( \w+)?))?|not telling|(i'?d like to )?(stay|remain) anonymous|anonymous|没有|不知道|不记得|忘了|跳过|无|不用了?|不想说|不方便(透露)?|(不想|不方便|不)(留|给|提供)(电话|手机|手机号|邮箱|联系方式|号码)|保密|匿名)$/.test(
      t,
    )
  );
}

const ABUSE =
  /\b(fuck\w*|shit\w*|bitch\w*|bastard\w*|asshole\w*|dickhead|wanker|cunt|idiots?|morons?|stupid bot|useless bot|scum)\b|傻逼|操你|他妈的|妈的|滚|去死|垃圾客服|智障|白痴|蠢货/;

/** Insults or profanity aimed at us. */
export function isAbusive(text: string): boolean {
  return ABUSE.test(norm(text));
}

/** What is left of a message once insults are taken out: is there still something to act on? */
export function hasContentBesidesAbuse(text: string): boolean {
  const rest = simplifiedOf(text).toLowerCase().replace(new RegExp(ABUSE.source, 'g'), ' ');
  const han = rest.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = rest.match(/[a-z]{2,}/g)?.length ?? 0;
  return han >= 4 || words >= 3;
}

/** Text that is only a greeting ("hi", "你好"). */
export function isGreeting(text: string): boolean {
  const t = norm(text);
  return /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|greetings|你好|您好|在吗|在么|哈喽|嗨)( there| team)?$/.test(
    t,
  );
}

/** A question that is not an answer to ours (ends in a question mark, asks how/what/when...). */
export function isQuestion(text: string): boolean {
  const t = norm(text);
  return (
    /[?？]\s*$/.test(text.trim()) ||
    /^(what|how|when|where|why|who|can you|could you|do you|are you|is there)\b|吗$|什么|怎么|为什么|哪里/.test(t)
  );
}

/** "What are my options?", "what happens next?", "接下来怎么处理": a question about what we will do with the complaint. */
export function isProcessQuestion(text: string): boolean {
  const t = norm(text);
  return (
    short(t, 10) &&
    /\b(what are (my|the) options|what options|what can (you|i) do|what will you do|what happens (now|next)|what now|what next|what('s| is) (the|your) process|how does this work|how long will (this|it) take|when will (you|it|this|someone) (be )?(fix|fixed|sort|sorted|resolve|resolved|deal with|get back|contact|call))\b|怎么处理|如何处理|会怎么|接下来|有什么办法|能怎么办|多久|什么时候(才能|能|会)?(修好|处理|解决|联系)/.test(
      t,
    )
  );
}

/** A satisfaction score 1–5 in any form ("4", "4/5", "four", "四分", "★★★★", "very satisfied"): survey-score.ts. */
export function parseScore(text: string): number | undefined {
  return findScore(norm(text))?.value;
}

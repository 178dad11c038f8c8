/** A customer's question about a ticket by its reference, from any channel, and what the engine found for it. */
import { z } from 'zod';

/** What the engine found for a reference and contact point: the ticket's status, or nothing (no match, no leak). */
export const lookupResultSchema = z.object({
  reference: z.string(),
  ticket: z
    .object({
      status: z.enum(['open', 'in_progress', 'resolved', 'reopened', 'closed', 'withdrawn']),
      department: z.string(),
      dueAt: z.string(),
      resolvedAt: z.string().nullable(),
    })
    .optional(),
});
/** A lookup result as the dialog reads it. */
export type LookupResult = z.infer<typeof lookupResultSchema>;

/** What a turn asks the engine to look up: a reference with the contact point the customer gave for it. */
export const lookupRequestSchema = z.object({
  reference: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** The conversation's own ticket: matched by the conversation, no contact point needed. */
  own: z.boolean().optional(),
});
/** A lookup request. */
export type LookupRequest = z.infer<typeof lookupRequestSchema>;

/** A ticket reference within a message (CMP-000123, any case; src/domain/reference.ts makes them). */
export function referenceIn(text: string): string | undefined {
  return /\bCMP-\d{6,12}\b/i.exec(text)?.[0].toUpperCase();
}

// Words that make a message about a reference a question about that ticket rather than a new complaint.
const STATUS_WORDS =
  /\b(?:status|progress|update|news|any word|what(?:'s| is) happening|where are (?:we|you)|check(?:ing)? on)\b|进度|进展|状态|怎么样了|处理了吗|结果|查询|查一下|進度|進展|狀態|處理/i;

// What may stand beside a reference and a contact point in a bare lookup ("Hi, CMP-000123, my email is …, thanks").
const FILLER = new Set(
  'hi hello dear re about regarding my the a an is it its email e-mail address phone number mobile tel reference ref ticket complaint case please thanks thank you and on for of with here what whats'.split(
    ' ',
  ),
);
const FILLER_ZH =
  /我的|邮箱|郵箱|电话|電話|号码|號碼|手机|手機|编号|編號|投诉|投訴|工单|工單|是|请|請|谢谢|謝謝|你好|您好|关于|關於|查/g;

/**
 * True when a message naming a reference is asking about it: worded as a status question, or nothing but the
 * reference, a contact point and a few courtesy words. "About CMP-000123: my kettle from order 44902 broke" is a
 * complaint that cites a reference.
 */
export function asksAboutTicket(text: string): boolean {
  if (STATUS_WORDS.test(text)) return true;
  const rest = text
    .replace(/\bCMP-\d{6,12}\b/gi, ' ')
    .replace(/[^\s@]{1,64}@[^\s@]{1,255}/g, ' ')
    .replace(/[+(]?\d[\d\s().-]{4,30}\d/g, ' ');
  const words = rest
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter((w) => w && !FILLER.has(w.replace(/'/g, '')) && !/\p{Script=Han}/u.test(w));
  const han = rest.replace(FILLER_ZH, '').match(/\p{Script=Han}/gu) ?? [];
  return words.length <= 1 && han.length <= 2;
}

// How a customer asks about their own open complaint: "any news?", "what's the status?", "进度怎么样了？".
const OWN_STATUS =
  /\b(?:any news|any update|any word|status|progress|heard anything|when will (?:you|i|someone)|what(?:'s| is) happening)\b|进度|进展|怎么样了|处理了吗|有消息吗|進度|進展|怎麼樣了|處理了嗎/i;

/**
 * True when a short message is a question about the conversation's own complaint. "Update: it now smells of burning"
 * is not (no question): that goes to the ticket as new information.
 */
export function asksOwnStatus(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  // Only the question: "Any news? Also the tracking number is …" carries news of its own for the ticket.
  const afterQuestion = /[?？]\s*[^\s?？]/.test(text);
  return (
    words.length <= 12 &&
    text.length <= 120 &&
    !afterQuestion &&
    /[?？吗嗎呢]|怎么样|怎麼樣/.test(text) &&
    OWN_STATUS.test(text)
  );
}

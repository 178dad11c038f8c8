/** What the bot says to a question about a ticket by its reference, in English and Simplified Chinese. */
import type { LookupResult } from '../ticket-lookup.ts';
import type { Language } from '../types.ts';
import { en } from './en.ts';
import { render } from './index.ts';
import { zhHans } from './zh-hans.ts';

type Found = NonNullable<LookupResult['ticket']>;

/** The sentences of a ticket lookup. */
interface LookupWords {
  askContact(reference: string): string;
  notFound(reference: string): string;
  status(reference: string, t: Found, now: Date): string;
  tooMany: string;
}

const EN: LookupWords = {
  askContact: (ref) =>
    `I can tell you how ${ref} is getting on. To keep it private, please tell me the email address or phone number given with the complaint.`,
  notFound: (ref) =>
    `I couldn't find a complaint ${ref} with that email address or phone number. Please check both, exactly as you gave them when you complained.`,
  status: (ref, t, now) => {
    const where = `with our ${t.department}`;
    switch (t.status) {
      case 'open':
      case 'reopened':
        return `${ref} is open ${where}. We promised a reply by ${en.formatDue(t.dueAt)}.`;
      case 'in_progress':
        return `${ref} is being worked on ${where}. We promised a reply by ${en.formatDue(t.dueAt)}.`;
      case 'resolved':
        return `${ref} was resolved${t.resolvedAt ? ` ${en.formatDate(t.resolvedAt.slice(0, 10), now)}` : ''} ${where}. If it is not put right, just tell me here.`;
      case 'closed':
        return `${ref} is closed. If the problem is back, tell me about it and I'll open a new complaint.`;
      case 'withdrawn':
        return `${ref} was withdrawn. If you want it looked at after all, tell me about it and I'll open a new complaint.`;
    }
  },
  tooMany:
    'I can only check a few references in one conversation. Please contact our customer relations team, who can look it up with you.',
};

const ZH: LookupWords = {
  askContact: (ref) => `我可以告诉您 ${ref} 的进展。为保护隐私，请告诉我投诉时留下的邮箱或电话号码。`,
  notFound: (ref) => `没有找到与该邮箱或电话号码对应的投诉 ${ref}。请核对编号和您投诉时留下的联系方式。`,
  status: (ref, t, now) => {
    const where = `由${t.department}处理`;
    switch (t.status) {
      case 'open':
      case 'reopened':
        return `${ref} 正在等待处理，${where}。我们承诺在${zhHans.formatDue(t.dueAt)}前答复您。`;
      case 'in_progress':
        return `${ref} 正在处理中，${where}。我们承诺在${zhHans.formatDue(t.dueAt)}前答复您。`;
      case 'resolved':
        return `${ref} 已${t.resolvedAt ? `于${zhHans.formatDate(t.resolvedAt.slice(0, 10), now)}` : ''}解决（${t.department}）。如果问题没有解决，请直接在这里告诉我。`;
      case 'closed':
        return `${ref} 已关闭。如果问题又出现了，请告诉我，我会为您新建一个投诉。`;
      case 'withdrawn':
        return `${ref} 已撤回。如果您仍希望我们处理，请告诉我，我会为您新建一个投诉。`;
    }
  },
  tooMany: '一次对话中只能查询少量编号。请联系我们的客户关系部，他们可以和您一起查询。',
};

/** The lookup sentences for `language`, Traditional readers getting the Simplified ones converted. */
export function lookupText(language: Language): LookupWords {
  if (language === 'en') return EN;
  const r = (s: string) => render(language, s);
  return {
    askContact: (ref) => r(ZH.askContact(ref)),
    notFound: (ref) => r(ZH.notFound(ref)),
    status: (ref, t, now) => r(ZH.status(ref, t, now)),
    tooMany: r(ZH.tooMany),
  };
}

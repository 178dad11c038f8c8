/** Recognises mail that must get no answer (RFC 3834): auto-replies, bulk and list mail, bounces, no-reply senders. */
import type { ParsedMail } from 'mailparser';

const header = (m: ParsedMail, name: string) => {
  const v = m.headers.get(name);
  if (v === undefined || v === null) return '';
  return (
    typeof v === 'string'
      ? v
      : typeof v === 'object' && 'value' in (v as object)
        ? String((v as { value: unknown }).value)
        : String(v)
  ).toLowerCase();
};

/** Why `mail` must not be answered, or undefined when it is a person writing. */
export function automatedReason(m: ParsedMail, ownAddress: string): string | undefined {
  const from = (m.from?.value[0]?.address ?? '').toLowerCase();
  const auto = header(m, 'auto-submitted');
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  const precedence = header(m, 'precedence');
  if (/^(bulk|junk|list)/.test(precedence)) return `Precedence: ${precedence}`;
  if (m.headers.has('list-id')) return 'List-Id present';
  if (m.headers.has('x-autoreply') || m.headers.has('x-autorespond') || m.headers.has('x-failed-recipients'))
    return 'auto-reply headers';
  const type = header(m, 'content-type');
  if (type.includes('multipart/report')) return 'delivery report (bounce)';
  if (!from) return 'no sender address';
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+@.-]|$)/.test(from))
    return `automated sender ${from}`;
  if (from === ownAddress.toLowerCase()) return 'sent by Redress itself (mail loop)';
  return undefined;
}

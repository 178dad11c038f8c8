/** Strips quoted history and signatures from a plain-text email body, so only the new words feed the dialog. */

const QUOTE_HEADERS = [
  /^On .{1,200} wrote:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}/i,
  /^-{2,}\s*Forwarded message\s*-{2,}/i,
  /^From:\s.+$/i,
  /^_{5,}$/,
  /^在.{1,100}写道[:：]\s*$/,
  /^在.{1,100}寫道[:：]\s*$/,
  /^-+\s*原始邮件\s*-+/,
  /^-+\s*原始郵件\s*-+/,
  /^发件人[:：]/,
  /^寄件者[:：]/,
];
const SIGNATURE = [/^--\s?$/, /^Sent from my \w+/i, /^Get Outlook for/i, /^发自我的/, /^從我的.+傳送/];

/** The new part of an email body: text before the first quoted block or signature, with quoted lines dropped. */
export function newText(body: string): string {
  const out: string[] = [];
  for (const line of body.replace(/\r\n/g, '\n').split('\n')) {
    const t = line.trim();
    if (QUOTE_HEADERS.some((re) => re.test(t)) || SIGNATURE.some((re) => re.test(t))) break;
    if (t.startsWith('>')) continue;
    out.push(line);
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

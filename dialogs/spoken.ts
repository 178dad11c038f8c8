/** Spoken forms to written ones, for call transcripts: "john dot smith at gmail dot com", "five five five", "幺三八". */

const DIGITS: Record<string, string> = {
  zero: '0',
  oh: '0',
  o: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};
const DIGIT_WORD = '(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)';
const RUN = new RegExp(
  `\\b(?:(?:double|triple)\\s+)?${DIGIT_WORD}(?:[\\s,-]+(?:(?:double|triple)\\s+)?(?:${DIGIT_WORD}|\\d))+\\b`,
  'gi',
);
const ZH_DIGITS: Record<string, string> = {
  零: '0',
  〇: '0',
  洞: '0',
  一: '1',
  幺: '1',
  么: '1',
  二: '2',
  两: '2',
  兩: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** A run of digit words as digits ("double five one" → "551"). */
function digits(run: string): string {
  const words = run
    .toLowerCase()
    .split(/[\s,-]+/)
    .filter(Boolean);
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const times = words[i] === 'double' ? 2 : words[i] === 'triple' ? 3 : 1;
    if (times > 1) i++;
    const d = DIGITS[words[i]] ?? (/^\d$/.test(words[i]) ? words[i] : '');
    out += d.repeat(times);
  }
  return out;
}

/** Rewrites spoken email addresses, spelled codes and digit sequences as they would be written. */
export function unspeak(text: string): string {
  let t = text;
  // "order number A B one two three" → "order number AB123": spelled letters and digits after a number cue.
  t = t.replace(
    /\b((?:order|account|booking|reference|ref|case|ticket|tracking)\s(?:(?:number|no\.?|code)\s?)?(?:is\s)?)((?:(?:[A-Za-z]|\d|double|triple|zero|oh|one|two|three|four|five|six|seven|eight|nine)(?:[\s,-]+|(?=[.?!;]|$))){3,})/gi,
    (_m, cue: string, code: string) => {
      const tokens = code.trim().split(/[\s,-]+/);
      let out = '';
      for (let i = 0; i < tokens.length; i++) {
        const w = tokens[i];
        if (/^(double|triple)$/i.test(w) && tokens[i + 1]) {
          out += digits(`${w} ${tokens[++i]}`);
        } else if (/^[A-Za-z]$/.test(w) && !/^(o)$/i.test(w)) out += w.toUpperCase();
        else out += digits(w) || w;
      }
      return `${cue}${out} `;
    },
  );
  // Digit words spoken one by one: three or more make a number.
  t = t.replace(RUN, (run) => {
    const d = digits(run);
    return d.length >= 3 ? d : run;
  });
  // "john dot smith at gmail dot com" (also "underscore", "dash").
  t = t.replace(
    // The domain must end in a common top-level domain, so "email me at john dot smith at gmail dot com" picks the right "at".
    // Every quantifier is bounded (an address has few parts), so each start costs at most a constant.
    /(?<![a-z0-9])([a-z0-9]{1,64}(?:\s(?:dot|underscore|dash|hyphen)\s[a-z0-9]{1,64}){0,8})\sat\s((?:[a-z0-9-]{1,63}\sdot\s){1,4}(?:com|org|net|edu|gov|io|co|uk|us|ca|au|de|fr|cn|tw|hk|sg|jp|info|biz|me))\b/gi,
    (_m, user: string, host: string) =>
      `${user
        .replace(/\sdot\s/gi, '.')
        .replace(/\sunderscore\s/gi, '_')
        .replace(/\s(?:dash|hyphen)\s/gi, '-')}@${host.replace(/\sdot\s/gi, '.')}`.toLowerCase(),
  );
  // Chinese digits read one by one (phone and order numbers): three or more in a row.
  t = t.replace(/[零〇洞一幺么二两兩三四五六七八九]{3,}/g, (run) => [...run].map((c) => ZH_DIGITS[c]).join(''));
  return t;
}

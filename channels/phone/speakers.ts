/** Decides which unlabelled speaker is the customer: by what each says ("my order", "how can I help"). */
import type { Transcript, TranscriptLine } from './transcript.ts';

const CUSTOMER =
  /\b(my|mine|i bought|i ordered|i paid|i was charged|i want|i'd like|refund|broken|never arrived|complain)\b|我的|我买|我買|我要|退款|投诉|投訴|坏了|壞了|没收到|沒收到/gi;
const AGENT =
  /\b(thank you for calling|thanks for calling|how (can|may) i help|my name is \w+ (from|at)|is there anything else|can i (have|get) your|could you (confirm|spell)|i('ll| will) (raise|log|escalate|pass)|on behalf of)\b|请问|請問|您好.{0,6}(客服|很高兴|很高興)|有什么可以帮|有什麼可以幫|亲|親/gi;

/** How many times the global pattern `re` matches in `text`, without building the array of matches. */
function count(text: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(text)) n++;
  return n;
}

/** Fills in customer/agent for lines whose label named no role; says so when it cannot tell. */
export function resolveSpeakers(lines: TranscriptLine[]): Pick<Transcript, 'lines' | 'speakers' | 'speakerNote'> {
  if (lines.every((l) => l.role !== 'unknown')) return { lines, speakers: 'labels' };
  const labels = [...new Set(lines.filter((l) => l.role === 'unknown').map((l) => l.label))];
  const known = new Map(lines.filter((l) => l.role !== 'unknown').map((l) => [l.label, l.role]));
  // Each line is scored once and added to its label (filtering the lines per label was quadratic in the labels).
  const score = new Map<string, number>(labels.map((label) => [label, 0]));
  for (const l of lines) {
    if (l.role !== 'unknown') continue;
    score.set(l.label, score.get(l.label)! + count(l.text, CUSTOMER) - count(l.text, AGENT));
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]);
  const roleOf = new Map<string, 'customer' | 'agent'>();
  const hasCustomer = [...known.values()].includes('customer');
  const hasAgent = [...known.values()].includes('agent');
  if (ranked.length === 1) {
    // One unlabelled voice beside a labelled one takes the other role; alone it is judged by its words.
    roleOf.set(ranked[0][0], hasAgent ? 'customer' : hasCustomer ? 'agent' : ranked[0][1] > 0 ? 'customer' : 'agent');
  } else if (ranked.length >= 2 && ranked[0][1] > ranked[1][1]) {
    roleOf.set(ranked[0][0], 'customer');
    for (const [label] of ranked.slice(1)) roleOf.set(label, 'agent');
  }
  if (roleOf.size < labels.length) {
    return {
      lines,
      speakers: 'unclear',
      speakerNote: `could not tell which of ${labels.map((l) => `"${l}"`).join(', ')} is the customer; all their words are kept, none is attributed`,
    };
  }
  const resolved = lines.map((l) => (l.role === 'unknown' ? { ...l, role: roleOf.get(l.label)! } : l));
  const customer = [...roleOf.entries()].find(([, r]) => r === 'customer')?.[0];
  return {
    lines: resolved,
    speakers: 'heuristic',
    speakerNote: customer ? `"${customer}" taken as the customer from what they said` : undefined,
  };
}

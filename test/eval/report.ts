/** The Markdown report: the figures against the goals, then the worst examples to fix. */
import type { CaseResult, Summary } from './harness.ts';

/** The goals from issue 14. */
export const GOALS = {
  repeatedRate: 0,
  askedForGivenRate: 0,
  spurious: 0,
  pronounErrors: 0,
  medianCopiedShare: 0.5,
  completeness: 0.95,
  rightScript: 1,
} as const;

/** Which goals the summary meets, by name. */
export function goalsMet(s: Summary): Record<keyof typeof GOALS, boolean> {
  return {
    repeatedRate: s.repeatedRate <= GOALS.repeatedRate,
    askedForGivenRate: s.askedForGivenRate <= GOALS.askedForGivenRate,
    spurious: s.spurious <= GOALS.spurious,
    pronounErrors: s.pronounErrors <= GOALS.pronounErrors,
    medianCopiedShare: s.medianCopiedShare <= GOALS.medianCopiedShare,
    completeness: s.completeness >= GOALS.completeness,
    rightScript: s.rightScript >= GOALS.rightScript,
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');
const num = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '—');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const clip = (s: string, n = 160) => cell(s.length > n ? `${s.slice(0, n)}…` : s);

function row(name: string, s: Summary): string {
  return `| ${name} | ${s.cases} | ${s.ticketsReached} (${pct(s.ticketsReached / s.cases)}) | ${num(s.medianTurns)} | ${pct(s.repeatedRate)} | ${pct(s.askedForGivenRate)} | ${num(s.medianCopiedShare)} | ${s.pronounErrors} | ${s.spurious} | ${pct(s.completeness)} | ${pct(s.rightScript)} |`;
}

/** The report as Markdown. */
export function markdown(
  r: { date: string; results: CaseResult[]; summary: Summary; bySource: Record<string, Summary> },
  worst = 5,
): string {
  const met = goalsMet(r.summary);
  const out: string[] = [
    `# Conversation quality — ${r.date.slice(0, 10)}, ${r.summary.cases} cases`,
    '',
    '| cases from | cases | tickets reached | median turns | repeated questions | asked for a given detail | copied share (median) | pronoun errors | spurious details | completeness | right script |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(r.bySource).map(([k, s]) => row(k, s)),
    row('**all**', r.summary),
    '| goal | | | | 0 | 0 | ≤ 0.5 | 0 | 0 | ≥ 95 % | 100 % |',
    '',
    `Goals met: ${
      Object.entries(met)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .join(', ') || 'none'
    }. Not met: ${
      Object.entries(met)
        .filter(([, v]) => !v)
        .map(([k]) => k)
        .join(', ') || 'none'
    }.`,
    '',
    "Copied share: share of a restatement's words (Chinese: characters) lying in runs of ≥ 4 words (Chinese: ≥ 6 characters) copied from the customer. Median turns counts customer messages in cases that reached a ticket; completeness counts cases with a ticket.",
  ];
  const copied = r.results
    .filter((x) => x.copied)
    .sort((a, b) => b.copied!.share - a.copied!.share)
    .slice(0, worst);
  if (copied.length) {
    out.push(
      '',
      `## Most copied restatements (top ${copied.length})`,
      '',
      '| case | share | restatement | copied runs |',
      '|---|---|---|---|',
    );
    for (const x of copied)
      out.push(
        `| ${x.id} | ${num(x.copied!.share)} | ${clip(x.restatement ?? '', 220)} | ${clip(x.copied!.runs.join(' / '), 160)} |`,
      );
  }
  const section = (title: string, head: string, rows: string[]) => {
    out.push('', `## ${title} (${rows.length})`, '');
    if (rows.length) out.push(head, head.replace(/[^|]+/g, '---'), ...rows);
    else out.push('None.');
  };
  section(
    'Spurious details',
    '| case | field | value on the ticket |',
    r.results.flatMap((x) => x.spurious.map((s) => `| ${x.id} | ${s.field} | ${clip(s.value)} |`)),
  );
  section(
    'Repeated questions',
    '| case | turn | field | bot said |',
    r.results.flatMap((x) => x.repeated.map((q) => `| ${x.id} | ${q.turn} | ${q.field} | ${clip(q.text)} |`)),
  );
  section(
    'Asked for a detail already given',
    '| case | turn | field | bot said |',
    r.results.flatMap((x) => x.askedForGiven.map((q) => `| ${x.id} | ${q.turn} | ${q.field} | ${clip(q.text)} |`)),
  );
  section(
    'Pronoun errors',
    '| case | errors | restatement |',
    r.results.flatMap((x) =>
      x.pronounErrors.map((p) => `| ${x.id} | ${cell(p.errors.join('; '))} | ${clip(p.restatement, 220)} |`),
    ),
  );
  section(
    'Given but not on the ticket',
    '| case | field | given | on the ticket |',
    r.results
      .filter((x) => x.ticket)
      .flatMap((x) => x.missing.map((m) => `| ${x.id} | ${m.field} | ${clip(m.expected)} | ${clip(m.got)} |`)),
  );
  section(
    'Taken from the complaint text, differing from the fact sheet (not counted)',
    '| case | field | on the ticket | fact sheet |',
    r.results.flatMap((x) => x.differing.map((d) => `| ${x.id} | ${d.field} | ${clip(d.value)} | ${clip(d.fact)} |`)),
  );
  section(
    'Replies in the wrong script',
    '| case | reply |',
    r.results.flatMap((x) => x.wrongScript.map((w) => `| ${x.id} | ${clip(w)} |`)),
  );
  section(
    'No ticket',
    '| case | turns | why |',
    r.results.filter((x) => !x.ticket).map((x) => `| ${x.id} | ${x.turns} | ${clip(x.stuck ?? '')} |`),
  );
  return out.join('\n');
}

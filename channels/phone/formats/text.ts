/** Plain-text transcripts ("Customer: ...", "客服：...", optional timestamps) and SRT (speaker as a line prefix). */
import { malformed, roleOfLabel, type TranscriptLine } from '../transcript.ts';

const TIME = String.raw`(?:\[?\(?(\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?\)?\]?\s?)`;
// One start (^), bounded label, one separator: linear however many spaces follow the colon.
const LABELLED = new RegExp(`^${TIME}?([^:：\\n]{1,40}?)[:：](.*)$`);

function seconds(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const parts = t
    .replace(/[[\]()]/g, '')
    .replace(',', '.')
    .split(':')
    .map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/** Lines of "Speaker: words"; a line without a label continues the previous speaker. */
export function parsePlain(text: string): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const time = new RegExp(`^${TIME}`).exec(line)?.[0];
    const m = LABELLED.exec(line);
    if (m && !/^https?$/i.test(m[2].trim())) {
      lines.push({
        n: lines.length + 1,
        label: m[2].trim(),
        role: roleOfLabel(m[2]),
        text: m[3].trim(),
        startSeconds: seconds(time?.trim()),
      });
    } else if (lines.length) {
      lines[lines.length - 1].text += ` ${line}`;
    } else {
      throw malformed(
        'plain-text',
        `line "${line.slice(0, 60)}" has no speaker label (expected "Customer: ..." or "客服：...")`,
      );
    }
  }
  if (!lines.length) throw malformed('plain-text', 'no lines');
  return lines;
}

/** SRT cues: index, "00:00:01,000 --> 00:00:04,000", text whose first line may start with the speaker. */
export function parseSrt(text: string): TranscriptLine[] {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/);
  const lines: TranscriptLine[] = [];
  let lastLabel = 'unknown';
  for (const block of blocks) {
    const rows = block.split('\n');
    const timeRow = rows.findIndex((r) => r.includes('-->'));
    if (timeRow < 0) throw malformed('SRT', `cue "${rows[0].slice(0, 40)}" has no "start --> end" line`);
    const start = /(\d{1,2}:\d{2}:\d{2}[,.]\d{1,3})/.exec(rows[timeRow])?.[1];
    if (!start) throw malformed('SRT', `bad timing line "${rows[timeRow].slice(0, 60)}"`);
    const body = rows
      .slice(timeRow + 1)
      .join(' ')
      .trim();
    const m = /^([^:：]{1,40}?)[:：](.*)$/.exec(body);
    const label = m && roleOfLabel(m[1]) !== 'unknown' ? m[1].trim() : m ? m[1].trim() : lastLabel;
    lastLabel = label;
    lines.push({
      n: lines.length + 1,
      label,
      role: roleOfLabel(label),
      text: (m ? m[2] : body).trim(),
      startSeconds: seconds(start),
    });
  }
  if (!lines.length) throw malformed('SRT', 'no cues');
  return lines;
}

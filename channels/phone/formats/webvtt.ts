/** WebVTT with voice tags (<v Customer>), parsed with webvtt-parser. */
import vtt from 'webvtt-parser';
import { malformed, roleOfLabel, type TranscriptLine } from '../transcript.ts';

/** Cues of a WebVTT file; the voice tag (or a "Speaker:" prefix) names the speaker. */
export function parseWebVtt(text: string): TranscriptLine[] {
  const tree = new vtt.WebVTTParser().parse(text, 'metadata');
  const fatal = tree.errors.find((e) => /signature|header/i.test(e.message));
  if (fatal || !text.trimStart().startsWith('WEBVTT'))
    throw malformed('WebVTT', fatal?.message ?? 'missing WEBVTT header');
  const lines: TranscriptLine[] = [];
  for (const cue of tree.cues) {
    const voice = /<v(?:\.[\w.]+)?\s([^<>]{1,200})>/.exec(cue.text)?.[1]?.trim();
    const plain = cue.text
      .replace(/<[^<>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    const prefixed = !voice ? /^([^:：]{1,40}?)[:：](.*)$/.exec(plain) : null;
    const label = voice ?? prefixed?.[1]?.trim() ?? 'unknown';
    lines.push({
      n: lines.length + 1,
      label,
      role: roleOfLabel(label),
      text: prefixed ? prefixed[2] : plain,
      startSeconds: cue.startTime,
    });
  }
  if (!lines.length) throw malformed('WebVTT', 'no cues');
  return lines;
}

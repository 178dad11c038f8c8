/** Detects a transcript's format from its content type and content, parses it and resolves the speakers. */
import { RedressError } from '../../src/core/errors.ts';
import { jsonFormat, parseContactLens, parseGoogle, parseTranscribe, parseTwilio } from './formats/json.ts';
import { parsePlain, parseSrt } from './formats/text.ts';
import { parseWebVtt } from './formats/webvtt.ts';
import { resolveSpeakers } from './speakers.ts';
import { malformed, type Format, type Transcript, type TranscriptLine } from './transcript.ts';
import { checkSegments, checkTextLength, collapseBlankLines, DEFAULT_TRANSCRIPT_MAX_LINES, tooLong } from './limits.ts';

const TEXT_TYPES =
  /^(text\/plain|text\/vtt|application\/x-subrip|text\/srt|application\/srt|application\/json|text\/json|application\/octet-stream)?$/;

/**
 * Parses transcript bytes; 415 for a format Redress does not read, 422 (TRANSCRIPT_INVALID) for a broken file, 413
 * (TRANSCRIPT_TOO_LONG) for more than `maxLines` cues, lines or segments, counted before parsing where possible.
 */
export function parseTranscript(bytes: Buffer, contentType = '', maxLines = DEFAULT_TRANSCRIPT_MAX_LINES): Transcript {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!TEXT_TYPES.test(type))
    throw new RedressError('UNSUPPORTED_MEDIA_TYPE', `transcripts are plain text, WebVTT, SRT or JSON; got ${type}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (e) {
    throw malformed('text', 'the file is not UTF-8', e);
  }
  if (!text.trim()) throw malformed('text', 'the file is empty');
  // "[00:01] Agent: ..." starts with a bracket too: only an object, or an array of objects or strings, is JSON.
  const looksJson = /^\s*(\{|\[\s*[{"\]])/.test(text);
  if (type.includes('json') || looksJson) {
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch (e) {
      throw malformed('JSON', `${(e as Error).message}`, e);
    }
    const format = jsonFormat(j as Record<string, unknown>);
    if (!format)
      throw new RedressError(
        'UNSUPPORTED_MEDIA_TYPE',
        'JSON that is not Amazon Transcribe, Amazon Connect Contact Lens, Google Speech-to-Text or Twilio sentences',
      );
    // Segment lists are counted before they are turned into lines; word lists (Transcribe, Google) by their lines.
    const o = j as Record<string, any>;
    if (format === 'aws-contact-lens') checkSegments(o.Transcript, 'entries', maxLines);
    if (format === 'twilio-sentences') checkSegments(o.sentences, 'sentences', maxLines);
    if (format === 'google-stt') checkSegments(o.results, 'results', maxLines);
    const parsers: Partial<Record<Format, (j: any) => TranscriptLine[]>> = {
      'aws-contact-lens': parseContactLens,
      'aws-transcribe': parseTranscribe,
      'google-stt': parseGoogle,
      'twilio-sentences': parseTwilio,
    };
    return finish(format, parsers[format]!(j), maxLines);
  }
  text = collapseBlankLines(text);
  if (type === 'text/vtt' || text.trimStart().startsWith('WEBVTT')) {
    checkTextLength(text, true, maxLines);
    return finish('webvtt', parseWebVtt(text), maxLines);
  }
  if (/^\s*\d+[^\S\n]*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/.test(text) || /subrip|srt/.test(type)) {
    checkTextLength(text, true, maxLines);
    return finish('srt', parseSrt(text), maxLines);
  }
  checkTextLength(text, false, maxLines);
  return finish('plain', parsePlain(text), maxLines);
}

function finish(format: Format, lines: TranscriptLine[], maxLines: number): Transcript {
  if (lines.length > maxLines) throw tooLong(lines.length, 'lines', maxLines);
  const cleaned = lines.map((l) => ({ ...l, text: l.text.trim() })).filter((l) => l.text);
  if (!cleaned.length) throw malformed(format, 'no words');
  return { format, ...resolveSpeakers(cleaned.map((l, i) => ({ ...l, n: i + 1 }))) };
}

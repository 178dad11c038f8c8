/** Detects a transcript's format from its content type and content, parses it and resolves the speakers. */
import { RedressError } from '../../src/errors.ts';
import { jsonFormat, parseContactLens, parseGoogle, parseTranscribe, parseTwilio } from './formats/json.ts';
import { parsePlain, parseSrt } from './formats/text.ts';
import { parseWebVtt } from './formats/webvtt.ts';
import { resolveSpeakers } from './speakers.ts';
import { malformed, type Format, type Transcript, type TranscriptLine } from './transcript.ts';

const TEXT_TYPES = /^(text\/plain|text\/vtt|application\/x-subrip|text\/srt|application\/srt|application\/json|text\/json|application\/octet-stream)?$/;

/** Parses transcript bytes; 415 for a format Redress does not read, 422 (TRANSCRIPT_INVALID) for a broken file. */
export function parseTranscript(bytes: Buffer, contentType = ''): Transcript {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!TEXT_TYPES.test(type)) throw new RedressError('UNSUPPORTED_MEDIA_TYPE', `transcripts are plain text, WebVTT, SRT or JSON; got ${type}`);
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
    if (!format) throw new RedressError('UNSUPPORTED_MEDIA_TYPE', 'JSON that is not Amazon Transcribe, Amazon Connect Contact Lens, Google Speech-to-Text or Twilio sentences');
    const parsers: Partial<Record<Format, (j: any) => TranscriptLine[]>> = {
      'aws-contact-lens': parseContactLens,
      'aws-transcribe': parseTranscribe,
      'google-stt': parseGoogle,
      'twilio-sentences': parseTwilio,
    };
    return finish(format, parsers[format]!(j));
  }
  if (type === 'text/vtt' || text.trimStart().startsWith('WEBVTT')) return finish('webvtt', parseWebVtt(text));
  if (/^\s*\d+[^\S\n]*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/.test(text) || /subrip|srt/.test(type)) return finish('srt', parseSrt(text));
  return finish('plain', parsePlain(text));
}

function finish(format: Format, lines: TranscriptLine[]): Transcript {
  const cleaned = lines.map((l) => ({ ...l, text: l.text.trim() })).filter((l) => l.text);
  if (!cleaned.length) throw malformed(format, 'no words');
  return { format, ...resolveSpeakers(cleaned.map((l, i) => ({ ...l, n: i + 1 }))) };
}

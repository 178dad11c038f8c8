/** JSON transcripts: Amazon Transcribe, Amazon Connect Contact Lens, Google Speech-to-Text, Twilio sentences. */
import { malformed, roleOfLabel, type Format, type TranscriptLine } from '../transcript.ts';

type Json = Record<string, any>;
const line = (lines: TranscriptLine[], label: string, text: string, start?: number, role = roleOfLabel(label)) => {
  const last = lines[lines.length - 1];
  // Consecutive words or segments of one speaker are one line.
  if (last && last.label === label)
    last.text += /^[\p{P}]/u.test(text) || /\p{Script=Han}$/u.test(last.text) ? text : ` ${text}`;
  else lines.push({ n: lines.length + 1, label, role, text, startSeconds: start });
};

/** Which JSON format `j` is, from its shape. */
export function jsonFormat(j: Json): Format | undefined {
  if (Array.isArray(j?.Transcript) && Array.isArray(j?.Participants)) return 'aws-contact-lens';
  if (j?.results && (Array.isArray(j.results.items) || Array.isArray(j.results.transcripts))) return 'aws-transcribe';
  if (Array.isArray(j?.results) && j.results.some((r: Json) => Array.isArray(r?.alternatives))) return 'google-stt';
  if (Array.isArray(j?.sentences) && j.sentences.some((s: Json) => typeof s?.transcript === 'string'))
    return 'twilio-sentences';
  return undefined;
}

/** Amazon Connect Contact Lens: Participants name each role. */
export function parseContactLens(j: Json): TranscriptLine[] {
  const roles = new Map<string, string>(
    (j.Participants as Json[]).map((p) => [String(p.ParticipantId), String(p.ParticipantRole ?? '')]),
  );
  const lines: TranscriptLine[] = [];
  for (const t of j.Transcript as Json[]) {
    if (typeof t?.Content !== 'string') throw malformed('Contact Lens', 'a Transcript entry has no Content');
    const role = roles.get(String(t.ParticipantId)) ?? '';
    line(
      lines,
      role || String(t.ParticipantId),
      t.Content,
      typeof t.BeginOffsetMillis === 'number' ? t.BeginOffsetMillis / 1000 : undefined,
      /agent/i.test(role) ? 'agent' : /customer/i.test(role) ? 'customer' : 'unknown',
    );
  }
  return lines;
}

/** Amazon Transcribe: words (items) with speaker_labels segments, or channel_labels per audio channel. */
export function parseTranscribe(j: Json): TranscriptLine[] {
  const r = j.results;
  const speakerAt = new Map<string, string>();
  for (const seg of r.speaker_labels?.segments ?? [])
    for (const it of seg.items ?? []) speakerAt.set(String(it.start_time), String(it.speaker_label));
  const items: Json[] = r.channel_labels?.channels
    ? (r.channel_labels.channels as Json[])
        .flatMap((c) => (c.items ?? []).map((it: Json) => ({ ...it, speaker: String(c.channel_label) })))
        .sort((a, b) => Number(a.start_time ?? 0) - Number(b.start_time ?? 0))
    : (r.items ?? []);
  if (!items.length) throw malformed('Amazon Transcribe', 'no items');
  const lines: TranscriptLine[] = [];
  let current = 'spk_0';
  for (const it of items) {
    const word = it.alternatives?.[0]?.content;
    if (typeof word !== 'string') throw malformed('Amazon Transcribe', 'an item has no alternatives[0].content');
    if (it.type !== 'punctuation')
      current = it.speaker ?? it.speaker_label ?? speakerAt.get(String(it.start_time)) ?? current;
    line(lines, current, word, it.start_time ? Number(it.start_time) : undefined, 'unknown');
  }
  return lines;
}

/** Google Speech-to-Text with diarization: the last result lists every word with its speakerTag. */
export function parseGoogle(j: Json): TranscriptLine[] {
  const withWords = (j.results as Json[]).filter((r) =>
    r.alternatives?.[0]?.words?.some((w: Json) => w.speakerTag !== undefined || w.speakerLabel !== undefined),
  );
  const words: Json[] = withWords.length ? withWords[withWords.length - 1].alternatives[0].words : [];
  const lines: TranscriptLine[] = [];
  if (!words.length) {
    for (const r of j.results as Json[])
      if (r.alternatives?.[0]?.transcript)
        line(lines, `speaker ${lines.length + 1}`, r.alternatives[0].transcript, undefined, 'unknown');
    if (!lines.length) throw malformed('Google Speech-to-Text', 'no transcript and no diarized words');
    return lines;
  }
  for (const w of words) {
    const tag = String(w.speakerLabel ?? w.speakerTag ?? '?');
    const start =
      typeof w.startTime === 'string'
        ? Number(w.startTime.replace(/s$/, ''))
        : typeof w.startOffset === 'string'
          ? Number(w.startOffset.replace(/s$/, ''))
          : undefined;
    line(lines, `speaker ${tag}`, String(w.word), start, 'unknown');
  }
  return lines;
}

/** Twilio Conversational Intelligence sentences: media_channel (or a participant role) per sentence. */
export function parseTwilio(j: Json): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  const sorted = [...(j.sentences as Json[])].sort(
    (a, b) => Number(a.sentence_index ?? 0) - Number(b.sentence_index ?? 0),
  );
  for (const s of sorted) {
    if (typeof s.transcript !== 'string') throw malformed('Twilio sentences', 'a sentence has no transcript');
    const role = String(s.participant?.role ?? s.speaker_role ?? '');
    line(
      lines,
      role || `channel ${s.media_channel ?? '?'}`,
      s.transcript,
      typeof s.start_time === 'number' ? s.start_time : Number(s.start_time) || undefined,
      roleOfLabel(role),
    );
  }
  if (!lines.length) throw malformed('Twilio sentences', 'no sentences');
  return lines;
}

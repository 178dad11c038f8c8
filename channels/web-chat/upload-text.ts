/**
 * What the bot says in the chat when an upload is refused (too large, or not an accepted type), in English and
 * Simplified Chinese; Traditional Chinese is the Simplified text converted with OpenCC, as the page's own text is.
 */
import { toTraditional } from '../../dialogs/language/detect.ts';
import { typeName } from './sniff.ts';

/** Why an upload was refused. */
export type UploadRefusal =
  { kind: 'too_large'; maxBytes: number } | { kind: 'wrong_type'; accepted: readonly string[] };

/** A size as people write it: "10 MB", "1.5 MB", under a megabyte "20 KB". */
export const sizeWords = (bytes: number) =>
  bytes >= 1_048_576 ? `${Number((bytes / 1_048_576).toFixed(1))} MB` : `${Math.floor(bytes / 1024)} KB`;

/** The list of accepted types in words: "JPEG, PNG or PDF". */
function list(types: readonly string[], or: string, comma: string): string {
  const names = types.map(typeName);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(comma)}${or}${names.at(-1)}`;
}

/** The bot's message for `r` in `language` (en, zh-Hans or zh-Hant; English for anything else). */
export function refusalText(r: UploadRefusal, language: string | undefined): string {
  if (language === 'zh-Hans' || language === 'zh-Hant') {
    const zh =
      r.kind === 'too_large'
        ? `抱歉，文件太大，我们无法接收。每次上传的文件合计不能超过 ${sizeWords(r.maxBytes)}。请发送较小的文件。`
        : `抱歉，我们无法接收这种文件。可以上传的文件类型：${list(r.accepted, ' 或 ', '、')}。`;
    return language === 'zh-Hant' ? toTraditional(zh) : zh;
  }
  return r.kind === 'too_large'
    ? `Sorry, that file is too large for us to accept: uploads are limited to ${sizeWords(r.maxBytes)} in all. Please send a smaller file.`
    : `Sorry, we can't accept that kind of file. You can send ${list(r.accepted, ' or ', ', ')} files.`;
}

/**
 * What a file is, read from its first bytes (its "magic number"), never from its name or the type the browser
 * declared: a text file renamed photo.jpg is not a photo. Only the types uploads may be are recognised.
 */
import type { SniffableType } from '../../src/core/config-web-chat-upload.ts';

/** Bytes a file needs for its type to be told (WebP's signature ends at byte 12). */
export const SNIFF_BYTES = 12;

const startsWith = (b: Buffer, sig: number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type of a file starting with `head` (at least {@link SNIFF_BYTES} of it when it is that long), or undefined. */
export function sniffType(head: Buffer): SniffableType | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  return undefined;
}

const NAMES: Record<SniffableType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
};

/** The short name of a type, as the chat and the Slack card say it (JPEG, PDF). */
export function typeName(type: string): string {
  return NAMES[type as SniffableType] ?? type;
}

/**
 * What the customer reads when their ticket is resolved, per language: the staff member's message in a frame naming
 * the ticket, or a plain notice when staff gave no message (a resolve through the staff API without a resolution).
 */
import { languageSchema, type Language } from '../../dialogs/languages.ts';

const frames: Record<Language, { with: (ref: string, message: string) => string; plain: (ref: string) => string }> = {
  en: {
    with: (ref, message) => `About your complaint ${ref}, which we have now resolved:\n\n${message}`,
    plain: (ref) => `Your complaint ${ref} has been resolved. If anything is still not right, please tell us here.`,
  },
  'zh-Hans': {
    with: (ref, message) => `关于您的投诉 ${ref}，我们已处理完毕：\n\n${message}`,
    plain: (ref) => `您的投诉 ${ref} 已处理完毕。如果仍有问题，请在这里告诉我们。`,
  },
  'zh-Hant': {
    with: (ref, message) => `關於您的投訴 ${ref}，我們已處理完畢：\n\n${message}`,
    plain: (ref) => `您的投訴 ${ref} 已處理完畢。如果仍有問題，請在這裡告訴我們。`,
  },
};

/** The resolution message for a ticket in `language` (English for a language the bot does not answer in). */
export function resolutionText(language: string, reference: string, message?: string): string {
  const parsed = languageSchema.safeParse(language);
  const frame = frames[parsed.success ? parsed.data : 'en'];
  return message ? frame.with(reference, message) : frame.plain(reference);
}

/** The reply languages, on their own so that schemas types.ts builds on (the LLM hint's) can use them without an import cycle. */
import { z } from 'zod';

/** Languages customers are answered in. */
export const languageSchema = z.enum(['en', 'zh-Hans', 'zh-Hant']);
/** A reply language. */
export type Language = z.infer<typeof languageSchema>;

/**
 * Optional LLM understanding: the schema of what an LLM returns for one customer message, the schema of what the
 * dialog accepts from it, and {@link supportedOnly}, which keeps only what the customer's own text backs. Pure: no I/O,
 * no clock (a date needs `now` to be checked against relative expressions such as "yesterday").
 *
 * The LLM is a hint, never a source of facts: an order number, email, phone or name it "found" must be in the text,
 * a date must be written there, a resolution must be asked for, and its restatement may not invent numbers or copy
 * the customer's words back to them.
 */
export {
  countSentences,
  LLM_FIELDS,
  llmAnswerSchema,
  MAX_RESTATEMENT_CHARS,
  MAX_RESTATEMENT_SENTENCES,
  type LlmAnswer,
  type LlmField,
} from './llm-answer-schema.ts';
export { llmHintSchema, type LlmHint } from './llm-hint-schema.ts';
export { supportedOnly, type SupportOptions } from './supported-only.ts';

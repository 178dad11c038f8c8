/** Reads the routing configuration file (dialogs/routing.yaml or ROUTING_CONFIG): the I/O half of dialogs/routing-config.ts. */
import { readFileSync } from 'node:fs';
import { parseRoutingConfig, type RoutingConfig } from '../../dialogs/routing-config.ts';
import { fromDialogError, RedressError } from '../core/errors.ts';

/** Reads and validates the routing configuration file at `path`; ROUTING_INVALID lists every problem. */
export function loadRoutingConfig(path: string): RoutingConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RedressError('ROUTING_INVALID', `cannot read routing configuration ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    return parseRoutingConfig(text, path);
  } catch (e) {
    throw fromDialogError(e);
  }
}

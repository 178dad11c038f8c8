/** Builds the bot's router from configuration: the routing file plus the trained model it (or ROUTER_MODEL) names. */
import { statSync } from 'node:fs';
import { createRouter, type Router } from '../../dialogs/router.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Config } from '../core/config.ts';
import { loadModel } from './model-file.ts';
import { loadRoutingConfig } from './routing-file.ts';

type RouterConfig = Pick<Config, 'ROUTING_CONFIG' | 'ROUTER_MODEL'>;

/** The router for `config`; the model file, when named, must load. */
export function routerFor(config: RouterConfig, modelPath?: string): Router {
  const routing = loadRoutingConfig(config.ROUTING_CONFIG);
  const file = modelPath ?? modelFileFor(config, routing);
  return createRouter(routing, file ? loadModel(file) : undefined);
}

/** The model file the router uses: ROUTER_MODEL, else the one the routing configuration names (none: keywords only). */
export function modelFileFor(config: RouterConfig, routing: RoutingConfig): string | undefined {
  return config.ROUTER_MODEL ?? routing.model?.file;
}

/** What tells one version of a model file from the next: a swap renames a new file in (new inode, new mtime). */
export function modelStamp(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    const s = statSync(file);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return undefined;
  }
}

/**
 * A new router with the model file's current version when its stamp differs from `last`, else undefined. The routing
 * configuration is the one given (the one the process started with): only the model changes while it runs.
 */
export function reloadIfChanged(
  routing: RoutingConfig,
  file: string | undefined,
  last: string | undefined,
): { router: Router; stamp: string } | undefined {
  const stamp = modelStamp(file);
  if (!file || !stamp || stamp === last) return undefined;
  // Stamped before reading: a swap landing in between is read now and seen again next time, never missed.
  return { router: createRouter(routing, loadModel(file)), stamp };
}

/**
 * Watches the model file `config` and `routing` name: each call returns a router (on `routing`) when the file changed
 * since the last call, or since this was made: make it right after the router in use was built. A file that fails to
 * load throws, and is tried again on the next call; the router in use stays meanwhile.
 */
export function routerReloader(config: RouterConfig, routing: RoutingConfig): () => Router | undefined {
  const file = modelFileFor(config, routing);
  let last = modelStamp(file);
  return () => {
    const next = reloadIfChanged(routing, file, last);
    if (next) last = next.stamp;
    return next?.router;
  };
}

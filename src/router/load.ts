/** Builds the bot's router from configuration: the routing file plus the trained model it (or ROUTER_MODEL) names. */
import { createRouter, type Router } from '../../dialogs/router.ts';
import type { Config } from '../core/config.ts';
import { loadModel } from './model-file.ts';
import { loadRoutingConfig } from './routing-file.ts';

/** The router for `config`; the model file, when named, must load. */
export function routerFor(config: Pick<Config, 'ROUTING_CONFIG' | 'ROUTER_MODEL'>, modelPath?: string): Router {
  const routing = loadRoutingConfig(config.ROUTING_CONFIG);
  const file = modelPath ?? config.ROUTER_MODEL ?? routing.model?.file;
  return createRouter(routing, file ? loadModel(file) : undefined);
}

import { UnknownModelError } from '../../core/engine/errors';
import { defineRoute } from '../routes';
import { modelObject } from './common';

/** GET /v1/models: the loaded local model (an empty list when none is loaded). */
export const listModelsRoute = defineRoute({
  method: 'GET',
  path: '/v1/models',
  async handle(ctx) {
    const model = ctx.core.engine.loadedModel;
    ctx.sendJson(200, { object: 'list', data: model ? [modelObject(model)] : [] });
  }
});

/** GET /v1/models/:model */
export const getModelRoute = defineRoute({
  method: 'GET',
  path: '/v1/models/:model',
  async handle(ctx) {
    const id = ctx.params.model!;
    const model = ctx.core.engine.loadedModel;
    if (!model || (id !== model.id && id !== model.info.name)) throw new UnknownModelError(id, model ? [model.id] : []);
    ctx.setModel(model.id);
    ctx.sendJson(200, modelObject(model));
  }
});

import { UnknownModelError } from '../../core/engine/errors';
import { defineRoute, type ApiCore } from '../routes';
import { modelObject } from './common';

/**
 * GET /v1/models: the loaded local model, the other model files downloaded or imported into the models
 * folder (a request naming one that is not loaded gets 404 until it is), then the cloud models
 * that can be used now (`provider/model`, and `auto`).
 */
export const listModelsRoute = defineRoute({
  method: 'GET',
  path: '/v1/models',
  async handle(ctx) {
    const model = ctx.core.engine.loadedModel;
    const cloud = await availableCloudModels(ctx.core);
    const files = (await ctx.core.models.list()).filter(
      (file) => file.error === null && file.path !== model?.path && file.id !== model?.id
    );
    const downloaded = files.map((file) => ({ id: file.id, object: 'model' as const, created: 0, owned_by: 'enclave' }));
    ctx.sendJson(200, { object: 'list', data: [...(model ? [modelObject(model)] : []), ...downloaded, ...cloud] });
  }
});

async function availableCloudModels(core: ApiCore) {
  const options = await core.cloud.chatModels();
  const cloud = options.filter((option) => !option.local && option.ref !== 'auto' && option.available);
  const withAuto = cloud.length > 0 ? [options.find((option) => option.ref === 'auto')!, ...cloud] : [];
  return withAuto.map((option) => ({
    id: option.ref,
    object: 'model' as const,
    created: 0,
    owned_by: option.group === 'Automatic' ? 'enclave' : option.group
  }));
}

/** GET /v1/models/:model */
export const getModelRoute = defineRoute({
  method: 'GET',
  path: '/v1/models/:model',
  async handle(ctx) {
    const id = ctx.params.model!;
    const model = ctx.core.engine.loadedModel;
    const cloud = (await availableCloudModels(ctx.core)).find((option) => option.id === id);
    if (cloud) {
      ctx.setModel(id);
      return ctx.sendJson(200, cloud);
    }
    if (!model || (id !== model.id && id !== model.info.name)) throw new UnknownModelError(id, model ? [model.id] : []);
    ctx.setModel(model.id);
    ctx.sendJson(200, modelObject(model));
  }
});

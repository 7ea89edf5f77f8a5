// The local HTTP API: a thin adapter over the core. Runs under plain Node; nothing here may import electron.
export { startApiServer, API_ROUTES } from './startApiServer';
export { ApiServerController, DEFAULT_API_PORT } from './ApiServerController';
export type { ApiServer, ApiServerOptions, ApiLogger, RequestLogEntry, TokenVerifier } from './startApiServer';
export { ApiError, toApiError } from './ApiError';
export { ApiServerConfigError, assertBindable } from './security';
export type { AnyRoute, ApiCore, Route, RouteContext } from './routes';

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { CloudService } from '../core/cloud/CloudService';
import type { DocumentAsk } from '../core/documents/DocumentAsk';
import type { DocumentLibrary } from '../core/documents/DocumentLibrary';
import type { DocumentTools } from '../core/documents/tools/DocumentTools';
import type { DocumentSearch } from '../core/documents/retrieval/DocumentSearch';
import type { ModelRouter } from '../core/cloud/ModelRouter';
import type { EngineService } from '../core/engine/EngineService';
import type { PrivacyService } from '../core/privacy/PrivacyService';
import type { SseStream } from './http';
import type { ModelLibrary } from '../core/models/ModelLibrary';

/** What the API needs from the core: adapters reach services, never their internals. */
export interface ApiCore {
  engine: EngineService;
  privacy: PrivacyService;
  /** Cloud models (`provider/model`, `auto`) go through the router and its privacy gate. */
  router: ModelRouter;
  cloud: CloudService;
  documents: DocumentLibrary;
  documentSearch: DocumentSearch;
  /** Summarize, extract, compare (POST /v1/documents/{id}/summarize, …). */
  documentTools: DocumentTools;
  /** POST /v1/documents/ask: a question answered from the documents through the chat flow. */
  documentAsk: DocumentAsk;
  /** The models folder: `/v1/models` lists its files. */
  models: ModelLibrary;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  core: ApiCore;
  /** Path parameters (`:name` segments), already percent-decoded. */
  params: Record<string, string>;
  /** Aborted when the client disconnects before the reply is complete. */
  signal: AbortSignal;
  /** Names the model in the request log line. */
  setModel(id: string): void;
  sendJson(status: number, body: unknown, headers?: Record<string, string>): void;
  /** The server-sent-events reply for this request (headers go out with the first event). */
  sse(): SseStream;
}

export interface Route<Body = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1/models/:model`: literal segments and `:name` parameters. */
  path: string;
  /** The JSON body's schema; routes without one take no body. */
  body?: z.ZodType<Body>;
  /** The request field that holds the prompt, named in "context length exceeded" errors. */
  promptParam?: string;
  handle(ctx: RouteContext, body: Body): Promise<void>;
}

export function defineRoute<Body>(route: Route<Body>): Route<Body> {
  return route;
}

/** A route of any body type, as the route table holds them (each handler gets the body its own schema parsed). */
export type AnyRoute = Route<any>;

export type RouteMatch = { route: AnyRoute; params: Record<string, string> } | { allowedMethods: string[] } | null;

/** Finds the route for a path and method: the route, the methods the path does allow (405), or nothing (404). */
export function matchRoute(routes: readonly AnyRoute[], method: string, pathname: string): RouteMatch {
  const segments = pathname.split('/');
  const allowedMethods: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path.split('/'), segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowedMethods.push(route.method);
  }
  return allowedMethods.length ? { allowedMethods } : null;
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = Object.create(null);
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i]!;
    if (part.startsWith(':')) {
      if (!segment) return null;
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return null;
      }
      params[part.slice(1)] = decoded;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_ENV, ApiTokenError, ApiTokenStore, tokensMatch } from '../../src-main/core/api/ApiTokenStore';
import { startApiServer } from '../../src-main/server';
import { formatLogLine } from '../../src-main/cli/commands/serveCommand';
import { authHeaders, rawRequest, startTestApi, waitFor, type TestApi } from './support';

const chatBody = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 });

describe('the API token', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'enclave-token-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is 32 random bytes, base64url, in a 0600 file created on first use and reused after', () => {
    const dir = tempDir();
    const store = new ApiTokenStore(dir, {});
    const token = store.token();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(readFileSync(store.path, 'utf8').trim()).toBe(token);
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(new ApiTokenStore(dir, {}).token()).toBe(token);
    expect(new ApiTokenStore(tempDir(), {}).token()).not.toBe(token);
  });

  it('tightens loosened permissions, and rotates to a new token', () => {
    const store = new ApiTokenStore(tempDir(), {});
    const first = store.token();
    if (process.platform !== 'win32') {
      chmodSync(store.path, 0o644);
      expect(new ApiTokenStore(store.dataDir, {}).token()).toBe(first);
      expect(statSync(store.path).mode & 0o777).toBe(0o600);
    }
    const second = store.rotate();
    expect(second).not.toBe(first);
    expect(store.token()).toBe(second);
    expect(new ApiTokenStore(store.dataDir, {}).token()).toBe(second);
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('is overridden by ENCLAVE_API_TOKEN, which must not be short', () => {
    const dir = tempDir();
    const store = new ApiTokenStore(dir, { [API_TOKEN_ENV]: 'a-long-enough-token-from-env' });
    expect(store.token()).toBe('a-long-enough-token-from-env');
    expect(store.source).toBe('env');
    expect(() => store.rotate()).toThrow(ApiTokenError);
    expect(() => new ApiTokenStore(dir, { [API_TOKEN_ENV]: 'short' }).token()).toThrow(/at least 16/);
  });

  it('refuses a malformed stored token instead of accepting it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'api-token'), 'abc\n', { mode: 0o600 });
    expect(() => new ApiTokenStore(dir, {}).token()).toThrow(/too short/);
  });

  it('compares tokens in constant time by hash, whatever their lengths', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });
});

describe('the API over raw HTTP', () => {
  let api: TestApi;
  let port: number;
  let model: string;
  const allowedOrigin = 'http://localhost:5173';

  beforeAll(async () => {
    api = await startTestApi({ allowedOrigins: [allowedOrigin], headersTimeoutMs: 300, requestTimeoutMs: 600 });
    port = api.server.port;
    model = api.modelId!;
  });
  afterAll(async () => {
    expect(api?.errors).toEqual([]);
    await api?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}, setHost = true) =>
    rawRequest({ port, path, headers: { ...authHeaders(api), ...headers }, setHost });
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    rawRequest({ port, method: 'POST', path, headers: { ...authHeaders(api), ...headers }, body });
  const expectError = (res: { status: number; json: unknown; headers: Record<string, unknown> }, status: number, type: string) => {
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ error: { type, message: expect.any(String) } });
    expect(Object.keys((res.json as { error: object }).error).sort()).toEqual(['code', 'message', 'param', 'type']);
  };

  it('listens on 127.0.0.1 only', () => {
    expect(api.server.host).toBe('127.0.0.1');
    expect(api.server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('wants the bearer token on every route: missing or wrong is 401', async () => {
    for (const path of ['/v1/models', '/v1/chat/completions', '/v1/nothing-here']) {
      const missing = await rawRequest({ port, path });
      expectError(missing, 401, 'authentication_error');
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      expectError(await rawRequest({ port, path, headers: { Authorization: 'Bearer wrong-token' } }), 401, 'authentication_error');
      expectError(await rawRequest({ port, path, headers: { Authorization: `Basic ${api.token}` } }), 401, 'authentication_error');
      expectError(await rawRequest({ port, path, headers: { Authorization: `Bearer ${api.token}x` } }), 401, 'authentication_error');
    }
    expect((await get('/v1/models')).status).toBe(200);
    expect((await get('/v1/models', { Authorization: `bearer   ${api.token}` })).status).toBe(200);
  });

  it('answers only Host headers on the loopback allow-list with its own port (DNS rebinding)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`])
      expect((await get('/v1/models', { Host: host })).status, host).toBe(200);
    for (const host of [
      `evil.com:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      'localhost',
      `127.0.0.2:${port}`,
      `localhost.evil.com:${port}`,
      `0.0.0.0:${port}`
    ]) {
      const res = await get('/v1/models', { Host: host });
      expectError(res, 403, 'permission_error');
      expect(res.text).not.toContain('enclave-test-model');
    }
    expectError(await get('/v1/models', {}, false), 403, 'permission_error');
  });

  it('sends no CORS headers by default, the exact allow-listed origin only, and never *', async () => {
    const plain = await get('/v1/models');
    expect(Object.keys(plain.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);

    const allowed = await get('/v1/models', { Origin: allowedOrigin });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(allowed.headers.vary).toMatch(/Origin/);

    for (const origin of ['https://evil.com', 'http://localhost:5174', 'null', `${allowedOrigin}.evil.com`]) {
      const refused = await get('/v1/models', { Origin: origin });
      expectError(refused, 403, 'permission_error');
      expect(Object.keys(refused.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }

    const preflight = (origin: string) =>
      rawRequest({
        port,
        method: 'OPTIONS',
        path: '/v1/chat/completions',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' }
      });
    const ok = await preflight(allowedOrigin);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(ok.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const refused = await preflight('https://evil.com');
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('with no origins allowed, refuses every preflight and every Origin', async () => {
    const bare = await startApiServer(api.enclave, { port: 0 });
    try {
      const preflight = await rawRequest({
        port: bare.port,
        method: 'OPTIONS',
        path: '/v1/models',
        headers: { Origin: allowedOrigin, 'Access-Control-Request-Method': 'GET' }
      });
      expect(preflight.status).toBe(403);
      expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      const withOrigin = await rawRequest({ port: bare.port, path: '/v1/models', headers: { ...authHeaders(api), Origin: allowedOrigin } });
      expect(withOrigin.status).toBe(403);
    } finally {
      await bare.close();
    }
    await expect(startApiServer(api.enclave, { allowedOrigins: ['*'] })).rejects.toThrow(/not an origin/);
    await expect(startApiServer(api.enclave, { port })).rejects.toThrow(/already in use/);
    await expect(startApiServer(api.enclave, { host: '0.0.0.0' })).rejects.toThrow(/--allow-remote/);
  });

  it('takes JSON bodies only (415), up to the size limit (413), and says what is malformed (400)', async () => {
    expectError(await post('/v1/chat/completions', chatBody(model), { 'Content-Type': 'text/plain' }), 415, 'invalid_request_error');
    expectError(
      await post('/v1/chat/completions', chatBody(model), { 'Content-Type': 'application/x-www-form-urlencoded' }),
      415,
      'invalid_request_error'
    );
    expectError(
      await post('/v1/chat/completions', chatBody(model), { 'Content-Type': 'application/json; charset=latin1' }),
      415,
      'invalid_request_error'
    );
    expectError(await post('/v1/chat/completions', chatBody(model), { 'Content-Encoding': 'gzip' }), 415, 'invalid_request_error');
    const noType = await rawRequest({
      port,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { Authorization: `Bearer ${api.token}` },
      body: chatBody(model)
    });
    expectError(noType, 415, 'invalid_request_error');
    expect((await post('/v1/chat/completions', chatBody(model), { 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200);

    const huge = JSON.stringify({ model, messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024) }] });
    const tooLarge = await post('/v1/chat/completions', huge);
    expectError(tooLarge, 413, 'invalid_request_error');
    expect((tooLarge.json as { error: { code: string } }).error.code).toBe('request_too_large');
    // Chunked, with no Content-Length: cut off while streaming.
    const chunked = await rawRequest({
      port,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { ...authHeaders(api), 'Transfer-Encoding': 'chunked' },
      body: huge
    });
    expectError(chunked, 413, 'invalid_request_error');

    for (const body of ['{"model": ', '', 'null', '[]', '"text"', '{"model":"x","messages":[}']) {
      const res = await post('/v1/chat/completions', body);
      expectError(res, 400, 'invalid_request_error');
    }
    expectError(await post('/v1/chat/completions', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 400, 'invalid_request_error');
    // Deeply nested JSON, just under the size limit, in a field that is validated and in one that is a schema.
    const deep = '['.repeat(400_000) + ']'.repeat(400_000);
    expectError(await post('/v1/chat/completions', `{"model":"${model}","messages":${deep}}`), 400, 'invalid_request_error');
    const deepSchema = '{"type":"array","items":'.repeat(20_000) + '{}' + '}'.repeat(20_000);
    const nested = await post(
      '/v1/chat/completions',
      `{"model":"${model}","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${deepSchema}}}}`
    );
    expectError(nested, 400, 'invalid_request_error');
    expect((nested.json as { error: { code: string } }).error.code).toBe('unsupported_schema');

    const wrongType = await post(
      '/v1/chat/completions',
      JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 'ten' })
    );
    expectError(wrongType, 400, 'invalid_request_error');
    expect((wrongType.json as { error: { param: string } }).error.param).toBe('max_tokens');
    const missing = await post('/v1/chat/completions', JSON.stringify({ model }));
    expect((missing.json as { error: { param: string } }).error.param).toBe('messages');
    const badRole = await post('/v1/chat/completions', JSON.stringify({ model, messages: [{ role: 'wizard', content: 'hi' }] }));
    expect((badRole.json as { error: { param: string } }).error.param).toBe('messages[0].role');
  });

  it('answers unknown routes 404 and wrong methods 405, in OpenAI’s error shape', async () => {
    expectError(await get('/v1/nothing'), 404, 'not_found_error');
    expectError(await get('/v2/models'), 404, 'not_found_error');
    expectError(await get('/v1/models/'), 404, 'not_found_error');
    const wrongMethod = await get('/v1/chat/completions');
    expectError(wrongMethod, 405, 'invalid_request_error');
    expect(wrongMethod.headers.allow).toBe('POST');
    expectError(await post('/v1/models', '{}'), 405, 'invalid_request_error');
    expectError(await rawRequest({ port, method: 'DELETE', path: '/v1/models', headers: authHeaders(api) }), 405, 'invalid_request_error');
  });

  it('logs one line per request without bodies, tokens or query strings', async () => {
    api.log.length = 0;
    await get('/v1/models?key=secret-in-query');
    await post('/v1/chat/completions', chatBody(model));
    await rawRequest({ port, path: '/v1/models', headers: { Authorization: 'Bearer leaked-if-logged' } });
    expect(api.log).toHaveLength(3);
    expect(api.log[0]).toEqual({ method: 'GET', route: '/v1/models', status: 200, durationMs: expect.any(Number) });
    expect(api.log[1]).toEqual({ method: 'POST', route: '/v1/chat/completions', status: 200, durationMs: expect.any(Number), model });
    expect(api.log[2]!.status).toBe(401);
    const logged = JSON.stringify(api.log);
    for (const secret of [api.token, 'leaked-if-logged', 'secret-in-query', '"hi"']) expect(logged).not.toContain(secret);
  });

  it('logs client-chosen strings as one sanitized line: no CR/LF, no ANSI escapes, bounded', async () => {
    api.log.length = 0;
    const forged = `x\n[api] GET /v1/forged 200 1ms\r\n2030-01-01T00:00:00.000Z GET /v1/admin 200 1ms \u001b[2J\u001b[31mred\u001b[0m\u2028${'A'.repeat(120)}`;
    const res = await post('/v1/chat/completions', JSON.stringify({ model: forged, messages: [{ role: 'user', content: 'hi' }] }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(api.log).toHaveLength(1);
    const entry = api.log[0]!;
    expect(entry.route).toBe('/v1/chat/completions');
    expect(entry.model).toMatch(/^x\?\[api\] GET \/v1\/forged 200 1ms\?\?2030/);
    expect(entry.model).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(forged.length).toBeGreaterThan(200);
    expect(entry.model).toHaveLength(129);
    expect(entry.model!.endsWith('…')).toBe(true);
    // The line `enclave serve` prints for it is one line, with no escape sequence left.
    const line = formatLogLine(entry);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toContain('\u001b');
    expect(line).not.toContain('\r');
  });

  it('logs a request whose body stopped arriving as the 408 Node answered, not as a disconnect', async () => {
    api.log.length = 0;
    const reply = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${api.token}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":'
        )
      );
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => {});
      socket.on('close', () => resolve(received));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    await waitFor(() => api.log.length > 0, 5000, 'the log entry');
    expect(api.log).toEqual([{ method: 'POST', route: '/v1/chat/completions', status: 408, durationMs: expect.any(Number) }]);
    // Other malformed requests still get Node's own answer.
    const garbage = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => {});
      socket.on('close', () => resolve(received));
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect((await get('/v1/models')).status).toBe(200);
  });

  it('sees a rotated token at once', async () => {
    const old = api.token;
    const next = api.enclave.apiTokens.rotate();
    try {
      expect((await rawRequest({ port, path: '/v1/models', headers: { Authorization: `Bearer ${old}` } })).status).toBe(401);
      expect((await rawRequest({ port, path: '/v1/models', headers: { Authorization: `Bearer ${next}` } })).status).toBe(200);
    } finally {
      api.token = next;
    }
  });

  it('drops slowloris connections (partial headers or body) and keeps serving', async () => {
    const hang = (payload: string) =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        const socket = connect(port, '127.0.0.1', () => socket.write(payload));
        socket.on('data', () => {}); // a 408 may come first
        socket.on('error', () => {});
        socket.on('close', () => resolve(performance.now() - started));
      });
    const partialHeaders = hang(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${api.token}\r\n`);
    const partialBody = hang(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${api.token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":'
    );
    // Served meanwhile.
    expect((await get('/v1/models')).status).toBe(200);
    const [headersClosedAfter, bodyClosedAfter] = await Promise.all([partialHeaders, partialBody]);
    expect(headersClosedAfter).toBeLessThan(3000);
    expect(bodyClosedAfter).toBeLessThan(3000);
    expect((await get('/v1/models')).status).toBe(200);
  });
});

describe('the API with no model loaded', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ model: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists no models and answers generation routes 503, saying how to load one', async () => {
    const port = api.server.port;
    const models = await rawRequest({ port, path: '/v1/models', headers: authHeaders(api) });
    expect(models.json).toEqual({ object: 'list', data: [] });
    for (const [path, body] of [
      ['/v1/chat/completions', { model: 'any', messages: [{ role: 'user', content: 'hi' }] }],
      ['/v1/completions', { model: 'any', prompt: 'hi' }],
      ['/v1/embeddings', { model: 'any', input: 'hi' }]
    ] as const) {
      const res = await rawRequest({ port, method: 'POST', path, headers: authHeaders(api), body: JSON.stringify(body) });
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({
        error: { type: 'service_unavailable_error', code: 'no_model_loaded', message: expect.stringMatching(/--model PATH/) }
      });
    }
  });
});

import { createServer } from 'node:net';
import { expect, loadModelByPath, saveScreenshot, test } from './fixtures';

/** A port that is free right now, so the test does not collide with a running Enclave. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('the local API is off by default; turning it on shows a URL and a token that work, and rotate revokes it', async ({
  app,
  modelPath
}) => {
  await loadModelByPath(app, modelPath);
  await app.getByTestId('open-settings').click();
  const toggle = app.getByTestId('api-server-toggle');
  await expect(toggle).not.toBeChecked();
  await expect(app.getByTestId('api-server-url')).toHaveCount(0);

  const port = await freePort();
  await app.getByTestId('api-server-port').fill(String(port));
  await app.getByTestId('api-server-port').press('Tab');
  await toggle.check();
  await expect(app.getByTestId('api-server-url')).toHaveText(`http://127.0.0.1:${port}/v1`);
  const token = (await app.getByTestId('api-server-token').innerText()).trim();
  expect(token.length).toBeGreaterThanOrEqual(32);
  await saveScreenshot(app, '12-local-api');

  const models = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  expect(models.status).toBe(200);
  expect(((await models.json()) as { data: { id: string }[] }).data).toHaveLength(1);
  expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401);

  await app.getByTestId('rotate-api-token').click();
  await expect(app.getByTestId('api-server-token')).not.toHaveText(token);
  expect((await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

  await toggle.uncheck();
  await expect(app.getByTestId('api-server-url')).toHaveCount(0);
  await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
});

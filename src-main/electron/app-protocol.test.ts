// The app:// protocol handler under plain Node (the handler is a Request → Response function; the
// `electron` protocol object is a recording stub): what it serves, what it refuses, and its headers.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL, appProtocolHandler, registerAppScheme, serveAppProtocol } from './app-protocol';

let dir: string;
let rendererDir: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bioxen-app-protocol-'));
  rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'secret');
  await symlink(join(dir, 'secret.txt'), join(rendererDir, 'leak.txt'));
  await symlink(dir, join(rendererDir, 'assets', 'up'));
  handle = appProtocolHandler(rendererDir);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme that does not bypass CSP, and handled by one function', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
    registerAppScheme(protocol);
    const [[schemes]] = protocol.registerSchemesAsPrivileged.mock.calls as [[{ scheme: string; privileges: Record<string, boolean> }[]]];
    expect(schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(schemes[0]!.privileges.bypassCSP).toBeUndefined();
    serveAppProtocol(protocol, rendererDir);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the renderer with the strict CSP and security headers', async () => {
    const page = await handle(new Request(APP_INDEX_URL));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toMatch(/connect-src 'self'$/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await handle(new Request('app://bioxen/assets/app.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(csp);
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers 404 for anything outside the renderer folder, missing, a folder, or on another host', async () => {
    const refused = [
      'app://bioxen/../secret.txt',
      'app://bioxen/%2e%2e/secret.txt',
      'app://bioxen/..%2fsecret.txt',
      'app://bioxen/assets/..%2f..%2fsecret.txt',
      'app://bioxen/..%5csecret.txt',
      'app://bioxen/%252e%252e/secret.txt',
      'app://bioxen/index.html%00.js',
      'app://bioxen/%E0%A4%A',
      'app://bioxen/leak.txt',
      'app://bioxen/assets/up/secret.txt',
      'app://bioxen/missing.js',
      'app://bioxen/assets',
      'app://other/index.html',
    ];
    for (const url of refused) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      const body = await response.text();
      expect(body, url).not.toContain('secret');
      expect(body, url).not.toContain(dir);
      expect(response.headers.get('content-security-policy'), url).toContain("object-src 'none'");
    }
  });

  it('is read-only', async () => {
    const response = await handle(new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    const head = await handle(new Request(APP_INDEX_URL, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('<!doctype html><title>app</title>'.length));
  });
});

// `bioxen serve`: the workbench in a browser. Starts the services, serves the built renderer and the
// contract on 127.0.0.1, prints the token URL, and on Ctrl+C stops every VM before exiting.
import { join } from 'node:path';
import { createApi } from '../../api/index';
import { findAppRoot } from '../../app-root';
import { resolveDataDir } from '../../config/data-dir';
import { assertRendererBuilt, BrowserHost } from '../../host/browser-host';
import { checkBindAddress } from '../../host/bind-address';
import { openInBrowser, type LaunchFile } from '../../host/browser-launch';
import { publishHost } from '../../host/workbench-endpoint';
import { createServices } from '../../services';
import { parseArgs, UsageError, type CliCommand } from '../command';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be an integer from 0 to 65535 (0 = a free port), not "${value}"`);
  return port;
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
  });
}

async function serve(args: readonly string[]): Promise<number> {
  const { flags, positional } = parseArgs(args, { boolean: ['open'], string: ['port', 'host', 'data-dir'] });
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const port = parsePort(flags.port as string | undefined);
  const explicitHost = typeof flags.host === 'string';
  const host = (flags.host as string | undefined) ?? process.env.BIOXEN_HOST ?? '127.0.0.1';
  const appRoot = findAppRoot();
  const rendererDir = process.env.BIOXEN_RENDERER_DIR ?? join(appRoot, 'out', 'renderer');
  // Refuse before any Lua process starts.
  checkBindAddress(host, explicitHost);
  assertRendererBuilt(rendererDir);

  const dataDir = resolveDataDir(flags['data-dir'] as string | undefined);
  const services = await createServices({ dataDir, appRoot });
  const api = createApi(services);
  let server: BrowserHost;
  try {
    server = await BrowserHost.start({ api, rendererDir, host, port, hostExplicit: explicitHost });
  } catch (err) {
    api.dispose();
    await services.dispose();
    throw err;
  }
  const unpublish = publishHost(dataDir, server, 'browser');
  process.stdout.write(`BioXen Workbench is serving at ${server.url}\nData dir: ${dataDir}\nPress Ctrl+C to stop.\n`);
  const launchFile: LaunchFile | undefined = flags.open ? await openInBrowser(server.url) : undefined;

  const signal = await stopSignal();
  process.stdout.write(`${signal}: stopping the workbench…\n`);
  await launchFile?.remove();
  unpublish();
  await server.close();
  api.dispose();
  await services.dispose();
  return 0;
}

export const serveCommands: CliCommand[] = [
  {
    path: ['serve'],
    usage: 'serve [--port N] [--host 127.0.0.1] [--data-dir D] [--open]',
    summary: 'Serve the workbench to a browser on this machine; prints the URL with its access token. A non-loopback --host exposes it to your network.',
    run: serve,
  },
];

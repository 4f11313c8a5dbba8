#!/usr/bin/env node
// `npm start`: the Electron window when its runtime is installed, else the browser host.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);

const build = spawnSync(bin('electron-vite'), ['build'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
let child;
if (electron && hasDisplay) {
  child = spawn(electron, ['.', ...extra], { stdio: 'inherit', cwd: root });
} else {
  console.log(electron
    ? 'No display found: starting the browser host instead of the Electron window.'
    : 'Electron runtime not installed: starting the browser host (open the URL below in a browser).');
  child = spawn(process.execPath, [join(root, 'bin', 'bioxen.mjs'), 'serve', ...extra], { stdio: 'inherit', cwd: root });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

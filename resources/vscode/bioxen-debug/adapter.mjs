// VS Code starts this file (package.json: "program", with args ["dap"]) to get the debug adapter: it runs
// `bioxen dap` of the workbench checkout this folder is part of — found through its real path, so the folder
// may be symlinked into ~/.vscode/extensions.
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..', '..', '..');
await import(pathToFileURL(join(root, 'bin', 'bioxen.mjs')).href);

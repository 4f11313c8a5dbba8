// Types of bin/code-cache.mjs for the TypeScript that imports it (the CLI's cache folder).
export function cacheDir(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string;
export function runWithCodeCache(outDir: string, entry: string, outputs: Record<string, { sha256: string; bytes: number; mtimeMs: number }>, codeCacheDir?: string): unknown;

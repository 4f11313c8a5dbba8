#!/usr/bin/env node
// The `bioxen` command: runs the TypeScript CLI through tsx (no separate build step).
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/bioxen.ts');

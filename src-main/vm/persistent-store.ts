// Definitions of persistent VMs in <dataDir>/vms.json: written atomically, validated on read. Content that
// cannot be read is a DataFileError, so the workbench can move the file aside and start (config/data-file.ts).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SESSION_ID_PATTERN } from '../../src-preload/contract/session-id';
import { DataFileError } from '../config/data-file';
import type { VMOptions } from './types';

// z.lazy: built at first use, so a CLI run that never reads vms.json does not pay for the schemas.
const definitionSchema = z.lazy(() => z.object({
  id: z.string().regex(SESSION_ID_PATTERN),
  luaExecutable: z.string().min(1),
  environment: z.string().optional(),
  capabilities: z.object({ networked: z.boolean(), fs: z.boolean(), olfi: z.boolean(), metrics: z.boolean(), native: z.boolean().optional(), remoteNetwork: z.boolean().optional() }),
  limits: z.object({
    instructionQuota: z.number().int().min(0),
    memoryMb: z.number().int().min(0),
    timeoutMs: z.number().int().min(0),
    outputBytes: z.number().int().min(1),
  }),
  interactive: z.boolean(),
  createdAt: z.number(),
}));

const fileSchema = z.lazy(() => z.object({ version: z.literal(1), vms: z.array(definitionSchema) }));

/** The temp file a save of vms.json writes before the rename; one a kill left behind is removed at start. */
export const VMS_TEMP_FILE = /^vms\.json\.\d+\.tmp$/;

export type PersistentVMDefinition = z.infer<typeof definitionSchema>;

/** Where a data dir keeps its saved VMs. */
export function savedVMsFile(dataDir: string): string {
  return join(dataDir, 'vms.json');
}

/** What a saved VM was created with, as options for creating it again (its Lua still named as saved). */
export function savedVMOptions(def: PersistentVMDefinition): Pick<VMOptions, 'luaExecutable' | 'environment' | 'capabilities' | 'limits'> {
  return { luaExecutable: def.luaExecutable, environment: def.environment, capabilities: def.capabilities, limits: def.limits };
}

export class PersistentStore {
  constructor(readonly file: string) {}

  load(): PersistentVMDefinition[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      // Any other read error must stop the caller: the next save would replace a file nobody could read.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`cannot read ${this.file} (${(err as Error).message}) — check its permissions, or move it away to reset the saved VMs`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new DataFileError(this.file, `is not valid JSON (${(err as Error).message})`, 'fix or delete it to reset the saved VMs');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      throw new DataFileError(this.file, `has an unexpected shape (${parsed.error.issues[0]?.message})`, 'fix or delete it to reset the saved VMs');
    }
    return parsed.data.vms;
  }

  save(vms: PersistentVMDefinition[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, vms }, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}

// EditorService on real Lua: syntax checks with each version's own parser, completions from a
// live session's globals, and its checker runners gone after dispose.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionNotFoundError } from '../vm/errors';
import { VMLogger } from '../vm/logger';
import { VMManager } from '../vm/vm-manager';
import { EditorService } from './editor-service';
import { alive } from '../testing/test-helpers';

const quietLogger = new VMLogger({ sink: () => undefined });

describe('EditorService', () => {
  let vm: VMManager;
  let editor: EditorService;
  afterEach(async () => {
    await Promise.all([editor?.dispose(), vm?.dispose()]);
  });
  const fresh = () => {
    vm = new VMManager({ luaExecutable: 'lua5.4', logger: quietLogger });
    editor = new EditorService({ sessions: vm, luaExecutable: 'lua5.4', logger: quietLogger });
  };

  it('checks syntax per Lua version', async () => {
    fresh();
    expect(await editor.checkSyntax('local x = 1 // 2')).toEqual([]);
    const old = await editor.checkSyntax('local x = 1 // 2', '5.1');
    expect(old).toHaveLength(1);
    expect(old[0]!.line).toBe(1);
    const bad = await editor.checkSyntax('local a = 1\nlocal b = = 2');
    expect(bad[0]).toMatchObject({ line: 2 });
  });

  it('completes session globals and table members through the VM manager', async () => {
    fresh();
    const s = await vm.createInteractiveVM('comp');
    await s.sendInput('myVar = 1; function myFn() end; myTable = { inner = true }');
    const items = await editor.completions('comp');
    expect(items).toEqual(expect.arrayContaining([{ name: 'myVar', type: 'number' }, { name: 'myFn', type: 'function' }, { name: 'print', type: 'function' }]));
    expect(await editor.completions('comp', 'myTable')).toEqual([{ name: 'inner', type: 'boolean' }]);
    expect((await editor.completions('comp', 'string')).map((i) => i.name)).toContain('format');
    await expect(editor.completions('nobody')).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('kills its checker runners on dispose and refuses checks afterwards', async () => {
    fresh();
    await editor.checkSyntax('return 1');
    await editor.checkSyntax('return 1', '5.1');
    const pids = (editor as unknown as { checkers: Map<string, Promise<{ pid: number | undefined }>> }).checkers;
    const running = await Promise.all([...pids.values()].map(async (c) => (await c).pid!));
    expect(running).toHaveLength(2);
    expect(running.every(alive)).toBe(true);
    await editor.dispose();
    await expect.poll(() => running.filter(alive).length).toBe(0);
    await expect(editor.checkSyntax('return 1')).rejects.toThrow(/disposed/);
  });
});

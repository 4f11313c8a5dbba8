// The sandboxed preload under Node with a stubbed `electron`: what it exposes and what it lets through.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BioxenBridge } from './contract/index';

const exposed: Record<string, unknown> = {};
const ipcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: 'sent' })),
  on: vi.fn(),
  removeListener: vi.fn(),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer,
}));

await import('./preload');
const bioxen = exposed.bioxen as BioxenBridge;

describe('preload', () => {
  beforeEach(() => vi.clearAllMocks());

  it('exposes only window.bioxen with invoke and on', () => {
    expect(Object.keys(exposed)).toEqual(['bioxen']);
    expect(Object.keys(bioxen).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract methods over IPC on the channel of the same name', async () => {
    expect(await bioxen.invoke('sessions:run', { id: 's', code: 'return 1' })).toEqual({ ok: true, value: 'sent' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('sessions:run', { id: 's', code: 'return 1' });
  });

  it('refuses names outside the contract without touching IPC', async () => {
    for (const name of ['shell:exec', '__proto__', 'constructor', 'sessions:changed']) {
      expect(await bioxen.invoke(name as never, {} as never)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(() => bioxen.on('electron:anything' as never, () => undefined)).toThrow(/unknown event/);
    expect(() => bioxen.on('sessions:run' as never, () => undefined)).toThrow(/unknown event/);
    expect(ipcRenderer.on).not.toHaveBeenCalled();
  });

  it('delivers event payloads without the IPC event object and unsubscribes', () => {
    const heard: unknown[] = [];
    const off = bioxen.on('sessions:output', (payload) => heard.push(payload));
    const [channel, forward] = ipcRenderer.on.mock.calls[0] as unknown as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe('sessions:output');
    forward({ sender: 'ipc internals' }, { id: 's', chunks: [] });
    expect(heard).toEqual([{ id: 's', chunks: [] }]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('sessions:output', forward);
  });
});

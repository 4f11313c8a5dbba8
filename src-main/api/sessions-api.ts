import type { OutputChunk, SessionInfo } from '../vm/types';
import { defineApi } from './define-api';
import { LatestPerKey } from './latest-per-key';
import { attachFrom, completionItems, createSession, listSnapshots, runStreamed, syntaxDiagnostics } from './session-views';

export const sessionsApi = defineApi(
  'sessions',
  ({ vm, editor, settings, luacheck, lua }) => ({
    'sessions:list': ({ recentChunks }) => listSnapshots(vm, recentChunks),
    'sessions:create': (input) => createSession(vm, lua, settings.get(), input),
    'sessions:attach': ({ id, since }) => attachFrom(vm, id, since),
    'sessions:detach': ({ id }) => {
      vm.detachFromVM(id);
      return vm.getSession(id).info();
    },
    'sessions:interrupt': ({ id }) => {
      vm.interrupt(id);
      return vm.getSession(id).info();
    },
    'sessions:restart': async ({ id }) => {
      await vm.restart(id);
      return vm.getSession(id).info();
    },
    'sessions:terminate': async ({ id }) => {
      await vm.terminateVMSession(id);
      return { id };
    },
    'sessions:sendInput': async ({ id, line }) => {
      const { more, failed } = await vm.sendInput(id, line);
      return { pending: more, failed };
    },
    'sessions:run': ({ id, code, chunkName }) => runStreamed(vm, id, code, chunkName),
    'sessions:output': ({ id, since, limit }) => vm.getSession(id).outputSince(since, limit),
    'sessions:check': ({ id, code }) => syntaxDiagnostics(editor, vm, luacheck, code, id),
    'sessions:completions': ({ id, prefix }) => completionItems(editor, id, prefix),
  }),
  ({ vm }, publish) => {
    const changes = new LatestPerKey<SessionInfo | null>((id, info) => publish('sessions:changed', { id, info }));
    const onSession = (info: SessionInfo) => changes.push(info.id, info);
    const onRemoved = (id: string) => changes.push(id, null);
    const onOutput = (id: string, chunks: OutputChunk[]) => publish('sessions:output', { id, chunks });
    vm.on('session', onSession);
    vm.on('sessionRemoved', onRemoved);
    vm.on('output', onOutput);
    return () => {
      vm.off('session', onSession);
      vm.off('sessionRemoved', onRemoved);
      vm.off('output', onOutput);
      changes.flush();
    };
  },
);

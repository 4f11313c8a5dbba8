import type { Breakpoint, DebugStop } from '../../src-preload/contract/debug';
import { defineApi } from './define-api';

export const debugApi = defineApi(
  'debug',
  ({ debug }) => ({
    'debug:setBreakpoints': async ({ script, breakpoints, attachment }) => ({ breakpoints: await debug.setBreakpoints(script, breakpoints, attachment) }),
    'debug:attach': ({ id }, ctx) => {
      const attachment = debug.attach(id);
      // A client that goes away without detaching (killed, connection lost) must not leave breakpoints behind.
      ctx.onClose?.(() => void debug.detach(attachment).catch(() => undefined));
      return { attachment };
    },
    'debug:detach': async ({ attachment }) => {
      await debug.detach(attachment);
      return {};
    },
    'debug:breakpoints': () => debug.listBreakpoints(),
    'debug:setExceptions': async ({ mode }) => {
      await debug.setExceptions(mode);
      return {};
    },
    'debug:run': ({ id, code, script, stopOnEntry }) => debug.run(id, code, script, { stopOnEntry }),
    'debug:runs': () => ({ runs: debug.listRuns() }),
    'debug:pause': ({ id }) => {
      debug.pause(id);
      return {};
    },
    'debug:continue': async ({ id }) => {
      await debug.resume(id, 'continue');
      return {};
    },
    'debug:next': async ({ id }) => {
      await debug.resume(id, 'next');
      return {};
    },
    'debug:stepIn': async ({ id }) => {
      await debug.resume(id, 'stepIn');
      return {};
    },
    'debug:stepOut': async ({ id }) => {
      await debug.resume(id, 'stepOut');
      return {};
    },
    'debug:runTo': async ({ id, script, line }) => {
      await debug.runTo(id, script, line);
      return {};
    },
    'debug:stack': async ({ id }) => ({ frames: await debug.stack(id) }),
    'debug:scopes': async ({ id, frameId }) => ({ scopes: await debug.scopes(id, frameId) }),
    'debug:variables': ({ id, ref, start, count }) => debug.variables(id, ref, start, count),
    'debug:string': ({ id, ref, start, count }) => debug.stringPage(id, ref, start, count),
    'debug:evaluate': async ({ id, frameId, expression, context }) => ({ value: await debug.evaluate(id, frameId, expression, context) }),
    'debug:setVariable': async ({ id, ref, name, value }) => ({ value: await debug.setVariable(id, ref, name, value) }),
  }),
  ({ debug }, publish) => {
    const onStopped = (id: string, stop: DebugStop) => publish('debug:stopped', { id, stop });
    const onContinued = (id: string) => publish('debug:continued', { id });
    const onEnded = (id: string, success: boolean) => publish('debug:ended', { id, success });
    const onBreakpoints = (script: string, breakpoints: Breakpoint[]) => publish('debug:breakpoints', { script, breakpoints });
    debug.on('stopped', onStopped);
    debug.on('continued', onContinued);
    debug.on('ended', onEnded);
    debug.on('breakpoints', onBreakpoints);
    return () => {
      debug.off('stopped', onStopped);
      debug.off('continued', onContinued);
      debug.off('ended', onEnded);
      debug.off('breakpoints', onBreakpoints);
    };
  },
);

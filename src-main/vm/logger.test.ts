import { describe, expect, it } from 'vitest';
import { debugFromEnv, VMLogger, type LogLevel } from './logger';

describe('VMLogger', () => {
  it('writes debug lines only in debug mode, switched by BIOXEN_DEBUG or PYLUA_DEBUG', () => {
    expect(debugFromEnv({ BIOXEN_DEBUG: 'true' })).toBe(true);
    expect(debugFromEnv({ PYLUA_DEBUG: 'TRUE' })).toBe(true);
    expect(debugFromEnv({ PYLUA_DEBUG: '1' })).toBe(false);
    const lines: [LogLevel, string, string][] = [];
    const sink = (level: LogLevel, component: string, message: string) => lines.push([level, component, message]);
    new VMLogger({ component: 'Quiet', sink }, {}).debug('hidden');
    const loud = new VMLogger({ component: 'MyApp', sink }, { PYLUA_DEBUG: 'true' });
    loud.debug('shown');
    loud.child('vm:a').warn('careful');
    expect(lines).toEqual([
      ['debug', 'MyApp', 'shown'],
      ['warn', 'vm:a', 'careful'],
    ]);
  });
});

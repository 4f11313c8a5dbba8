import { describe, expect, it } from 'vitest';
import { parseLimits } from './session-limits';

describe('session limit fields', () => {
  it('leaves empty fields to the defaults and parses the rest', () => {
    expect(parseLimits({ instructionQuota: '', memoryMb: ' 64 ', timeoutMs: '0' })).toEqual({ limits: { memoryMb: 64, timeoutMs: 0 }, problem: null });
  });

  it('names the field that is not a whole number', () => {
    expect(parseLimits({ instructionQuota: '1e3.5', memoryMb: '', timeoutMs: '' }).problem).toMatch(/instructionQuota must be a whole number/);
    expect(parseLimits({ instructionQuota: '', memoryMb: '-1', timeoutMs: '' }).problem).toMatch(/memoryMb/);
  });
});

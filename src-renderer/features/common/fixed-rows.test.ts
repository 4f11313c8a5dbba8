import { describe, expect, it } from 'vitest';
import { rowWindow } from './fixed-rows';

describe('rowWindow', () => {
  it('draws the visible rows and the overscan around them', () => {
    expect(rowWindow(100_000, 24, 2400, 240, 5)).toEqual({ start: 95, end: 116, totalHeight: 2_400_000 });
  });

  it('stays inside the list at both ends', () => {
    expect(rowWindow(100_000, 24, 0, 240, 5)).toEqual({ start: 0, end: 16, totalHeight: 2_400_000 });
    expect(rowWindow(10, 24, 10_000, 240, 5)).toEqual({ start: 10, end: 10, totalHeight: 240 });
    expect(rowWindow(3, 24, 0, 240, 5)).toEqual({ start: 0, end: 3, totalHeight: 72 });
  });

  it('draws nothing for an empty list or before the element has a size', () => {
    expect(rowWindow(0, 24, 0, 240, 5)).toEqual({ start: 0, end: 0, totalHeight: 0 });
    expect(rowWindow(50, 24, 0, 0, 0)).toEqual({ start: 0, end: 1, totalHeight: 1200 });
  });
});

import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMITS, parseMetricLine, toWire, type MetricMessage } from './metric-message';

describe('parseMetricLine', () => {
  it('accepts a full sample and keeps extra numeric fields as series', () => {
    const line = JSON.stringify({ vm: 'cell-01', t: 1700000000.5, atp: 3.2, growth: 0.41, gene_expression: { lacI: 120, gfp: 8 }, nutrient_mM: 4.5, chassis: 'syn3a' });
    const result = parseMetricLine(line);
    expect(result).toEqual({
      ok: true,
      message: { vm: 'cell-01', t: 1700000000.5, atp: 3.2, growth: 0.41, geneExpression: { lacI: 120, gfp: 8 }, series: { nutrient_mM: 4.5 } },
    });
  });

  it('accepts a minimal sample (vm and t only)', () => {
    const result = parseMetricLine('{"vm":"a","t":1}');
    expect(result.ok && result.message).toEqual({ vm: 'a', t: 1, geneExpression: {}, series: {} });
  });

  it("accepts BioXen's Python fields: vm_id for vm, and no t (the arrival time, marked)", () => {
    const result = parseMetricLine(JSON.stringify({ vm_id: 'cell-7', atp_level: 2.5, gene_expression: { lacZ: 3 } }), () => 1_700_000_123.25);
    expect(result).toEqual({ ok: true, message: { vm: 'cell-7', t: 1_700_000_123.25, tFromArrival: true, geneExpression: { lacZ: 3 }, series: { atp_level: 2.5 } } });
    expect(toWire((result as { message: MetricMessage }).message)).toMatchObject({ vm: 'cell-7', t: 1_700_000_123.25, t_from_arrival: true });
    expect(parseMetricLine('{"vm":"a","vm_id":"a","t":1}')).toMatchObject({ ok: true, message: { vm: 'a', t: 1 } });
    expect(parseMetricLine('{"vm":"a","vm_id":"b","t":1}')).toEqual({ ok: false, reason: 'invalid_message', detail: 'vm "a" and vm_id "b" differ: send one of them' });
    expect(parseMetricLine('{"t":1}')).toEqual({ ok: false, reason: 'invalid_message', detail: 'vm: missing — name the cellular VM with "vm" (or "vm_id")' });
  });

  it('calls a last document that stops early incomplete, and other bad JSON invalid_json', () => {
    for (const cut of ['{"vm":"a","t":1', '{"vm":"a","t', '{"vm":"a",', '{"vm":"a","t":tru', '{"vm":"a","t":1.']) {
      expect(parseMetricLine(cut, undefined, true)).toMatchObject({ ok: false, reason: 'incomplete' });
      expect(parseMetricLine(cut)).toMatchObject({ ok: false, reason: 'invalid_json' });
    }
    expect(parseMetricLine('{"vm":"a","t":1}}', undefined, true)).toMatchObject({ ok: false, reason: 'invalid_json' });
    expect(parseMetricLine('hello', undefined, true)).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  it('round-trips through the wire form', () => {
    const result = parseMetricLine(JSON.stringify({ vm: 'x', t: 2, atp: 1, gene_expression: { a: 1 }, extra: 5 }));
    if (!result.ok) throw new Error(result.detail);
    expect(parseMetricLine(JSON.stringify(toWire(result.message)))).toEqual(result);
  });

  it('names the JSON error for garbage', () => {
    const result = parseMetricLine('{"vm": "a", t:');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('invalid_json');
  });

  it.each([
    ['missing vm', { t: 1 }, 'vm'],
    ['t not a number', { vm: 'a', t: 'soon' }, 't'],
    ['negative atp', { vm: 'a', t: 1, atp: -1 }, 'atp'],
    ['gene level not a number', { vm: 'a', t: 1, gene_expression: { lacI: 'high' } }, 'gene_expression.lacI'],
    ['an array', [1, 2], '(message)'],
  ])('describes the bad field: %s', (_name, value, path) => {
    const result = parseMetricLine(JSON.stringify(value));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('invalid_message');
      expect(result.detail).toContain(path);
    }
  });

  it('rejects too many genes and too many series', () => {
    const genes = Object.fromEntries(Array.from({ length: MESSAGE_LIMITS.genes + 1 }, (_, i) => [`g${i}`, i]));
    const many = parseMetricLine(JSON.stringify({ vm: 'a', t: 1, gene_expression: genes }));
    expect(many.ok || many.detail).toMatch(/more than 256 genes/);
    const series = Object.fromEntries(Array.from({ length: MESSAGE_LIMITS.series + 1 }, (_, i) => [`s${i}`, i]));
    const manySeries = parseMetricLine(JSON.stringify({ vm: 'a', t: 1, ...series }));
    expect(manySeries.ok || manySeries.detail).toMatch(/more than 64 numeric series/);
  });
});

describe('the fast path agrees with the schema', () => {
  const cases: unknown[] = [
    { vm: 'a', t: 1 },
    { vm: 'a', t: 1, atp: 0, growth: 0, gene_expression: {} },
    { vm: 'a', t: -5.5, atp: 1e-9, gene_expression: { x: 0 }, extra: 3, label: 'text', nested: { a: 1 } },
    { vm: '', t: 1 },
    { vm: 'x'.repeat(129), t: 1 },
    { vm: 'a', t: null },
    { vm: 'a', t: 1, atp: null },
    { vm: 'a', t: 1, growth: -0.1 },
    { vm: 'a', t: 1, gene_expression: [] },
    { vm: 'a', t: 1, gene_expression: null },
    { vm: 'a', t: 1, gene_expression: { '': 1 } },
    { vm: 'a', t: 1, gene_expression: { g: -1 } },
    { vm: 'a', t: 1, gene_expression: { ['g'.repeat(65)]: 1 } },
    { vm: 7, t: 1 },
    null,
    'string',
  ];

  it.each(cases.map((c) => [JSON.stringify(c), c]))('%s', (_name, value) => {
    const fromLine = parseMetricLine(JSON.stringify(value));
    const viaSchemaOnly = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (fromLine.ok) {
      expect(viaSchemaOnly).toBe(true);
      const raw = value as Record<string, unknown>;
      expect(fromLine.message.vm).toBe(raw.vm);
      expect(fromLine.message.geneExpression).toEqual(raw.gene_expression ?? {});
    } else {
      expect(fromLine.reason).toBe('invalid_message');
      expect(fromLine.detail.length).toBeGreaterThan(0);
    }
  });

  it('accepts exactly the valid cases', () => {
    const accepted = cases.map((c) => parseMetricLine(JSON.stringify(c)).ok);
    expect(accepted).toEqual([true, true, true, false, false, false, false, false, false, false, false, false, false, false, false, false]);
  });
});

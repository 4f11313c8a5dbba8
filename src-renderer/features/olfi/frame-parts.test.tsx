// The panel shows what the main side decided about each entry — its time, the compound each name is, the
// checksum verdict — and the main side's rates, never a value worked out again here.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';
import { FrameDetails, FrameRow, RateSparklines } from './frame-parts';

const colours = { ACETOIN: '#f2c14e', BENZALDEHYDE: '#8fd3ff' };

function entry(over: Partial<OlFiEntryView> = {}): OlFiEntryView {
  return {
    id: '1700000000000-0',
    time: 1_700_000_000_123,
    mvoc: 'ACETOIN',
    compound: 'ACETOIN',
    status: 'valid',
    reason: '',
    frame: { preamble: ['ACETOIN', 'ACETOIN'], address: 'CELL_0001', control: { type: 'STATUS', sequence: 1, priority: 'normal' }, payload: 'A', checksum: 65, terminator: ['BENZALDEHYDE', 'BENZALDEHYDE'] },
    computedChecksum: 65,
    checksumMatches: true,
    frameCompounds: { preamble: ['ACETOIN', 'ACETOIN'], terminator: ['BENZALDEHYDE', 'BENZALDEHYDE'] },
    ...over,
  };
}

const chips = (html: string) => [...html.matchAll(/<span class="olfi-chip" style="background:([^"]*)" title="([^"]*)">([^<]*)<\/span>/g)].map((m) => ({ background: m[1], title: m[2], text: m[3] }));

describe('Ol-Fi frame parts', () => {
  it("colour a compound by the main side's library name, not by a rule of their own", () => {
    // "acetoın" (dotless ı) upper-cases to ACETOIN by Unicode's rule but not by the main side's ASCII rule: not in the library.
    const dotless = renderToStaticMarkup(<FrameRow entry={entry({ mvoc: 'acetoın', compound: null, status: 'unknown-compound', reason: 'mvoc "acetoın" is not in the MVOC library' })} selected={false} colours={colours} onSelect={() => undefined} />);
    expect(chips(dotless)).toEqual([{ background: 'var(--fg-dim)', title: 'acetoın is not in the MVOC library', text: 'acetoın' }]);
    // A name the main side found to be a compound is coloured as that compound, however it is written.
    const loose = renderToStaticMarkup(<FrameRow entry={entry({ mvoc: 'acetoin' })} selected={false} colours={colours} onSelect={() => undefined} />);
    expect(chips(loose)).toEqual([{ background: '#f2c14e', title: 'acetoin', text: 'acetoin' }]);
    const preamble = renderToStaticMarkup(<FrameDetails entry={entry({ frameCompounds: { preamble: ['ACETOIN', null], terminator: ['BENZALDEHYDE', 'BENZALDEHYDE'] } })} colours={colours} />);
    expect(chips(preamble).slice(0, 2).map((c) => c.background)).toEqual(['#f2c14e', 'var(--fg-dim)']);
  });

  it("show the main side's time and checksum verdict", () => {
    // The verdict stands as sent, even where the carried and computed numbers alone would say otherwise.
    const html = renderToStaticMarkup(<FrameDetails entry={entry({ checksumMatches: false, status: 'unknown-compound' })} colours={colours} />);
    expect(html).toContain('1700000000000-0 · 2023-11-14T22:13:20.123Z');
    expect(html).toContain('<span class="olfi-bad">65 ✗ payload sums to 65</span>');
    const row = renderToStaticMarkup(<FrameRow entry={entry({ time: null })} selected={false} colours={colours} onSelect={() => undefined} />);
    expect(row).toContain('<span class="olfi-time">invalid time</span>');
  });

  it("draw the main side's per-second rates", () => {
    const html = renderToStaticMarkup(<RateSparklines series={{ ACETOIN: [0, 4, 7, 2], OTHER: [1, 0, 3, 0] }} colours={colours} />);
    expect([...html.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].map((m) => m[1])).toEqual(['ACETOIN 7/s', 'OTHER 3/s']);
    expect(html).toContain('stroke="#f2c14e"');
    expect(renderToStaticMarkup(<RateSparklines series={{}} colours={colours} />)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { classifyEntry } from './frame-codec';
import { OlFiScenario } from './olfi-scenario';

describe('OlFiScenario', () => {
  it('plays status, quorum and emergency traffic that classifies as valid, reproducibly', () => {
    const first = new OlFiScenario({ seed: 7, noise: 0 });
    const frames = Array.from({ length: 3000 }, () => first.next());
    const again = new OlFiScenario({ seed: 7, noise: 0 });
    expect(frames.slice(0, 50)).toEqual(Array.from({ length: 50 }, () => again.next()));
    const statuses = new Set(frames.map((f) => classifyEntry(f.mvoc, JSON.stringify(f.frame)).status));
    expect([...statuses]).toEqual(['valid']);
    const types = new Set(frames.map((f) => `${f.mvoc}:${f.frame.control.type}`));
    for (const t of ['ACETOIN:STATUS', 'ACETOIN:STATUS_REQUEST', '2_METHYLBUTANOL:STATUS_RESPONSE', '2_METHYLBUTANOL:UPREGULATE', 'DIMETHYL_SULFIDE:EMERGENCY', 'ETHYL_ACETATE:ACK']) {
      expect(types).toContain(t);
    }
    expect(frames.find((f) => f.frame.control.type === 'EMERGENCY')!.frame).toMatchObject({ address: '*', control: { priority: 'emergency' } });
  });

  it('corrupts checksums at the noise rate', () => {
    const scenario = new OlFiScenario({ seed: 3, noise: 0.5 });
    const bad = Array.from({ length: 1000 }, () => scenario.next()).filter((f) => classifyEntry(f.mvoc, JSON.stringify(f.frame)).status === 'checksum-mismatch');
    expect(bad.length).toBeGreaterThan(400);
    expect(bad.length).toBeLessThan(600);
  });
});

// What the Ol-Fi panel shows of one entry and of the rates, from props alone (no store): the time, the
// compound each name is, the checksum verdict and the rates are the main side's, as the entry and the stats
// carry them; these parts only lay them out.
import { memo } from 'react';
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';
import { formatTime, isoTime, visibleText } from '../../../src-preload/contract/outside-values';

/** Library compound name → display colour. */
export type Colours = Readonly<Record<string, string>>;

// One formatter for every row: toLocaleTimeString builds a new one per call, which cost more than the rest of a row.
const clock = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function clockTime(time: number | null): string {
  return formatTime(time, (t) => `${clock.format(t)}.${String(t.getTime() % 1000).padStart(3, '0')}`);
}

/** A compound as written, coloured by the library compound the main side found it to be (`compound`; null: none). */
export function CompoundChip({ name, compound, colours }: { name: string | undefined; compound: string | null | undefined; colours: Colours }) {
  const colour = compound ? colours[compound] : undefined;
  return (
    <span className="olfi-chip" style={{ background: colour ?? 'var(--fg-dim)' }} title={compound ? name : `${name ?? '(no mvoc)'} is not in the MVOC library`}>
      {name === undefined ? '—' : visibleText(name)}
    </span>
  );
}

/** Entries never change once received: a row whose slot still shows the same frame is not drawn again. */
export const FrameRow = memo(function FrameRow({ entry, selected, colours, onSelect }: { entry: OlFiEntryView; selected: boolean; colours: Colours; onSelect: (id: string) => void }) {
  const valid = entry.status === 'valid';
  const frame = entry.frame;
  return (
    <div
      role="listitem"
      aria-selected={selected}
      aria-label={visibleText(`${entry.mvoc ?? 'no mvoc'} ${frame?.control.type ?? entry.status} ${valid ? 'valid' : entry.status}`)}
      className={`olfi-row${selected ? ' selected' : ''}${valid ? '' : ' invalid'}`}
      onClick={() => onSelect(entry.id)}
    >
      <span className="olfi-time">{clockTime(entry.time)}</span>
      <CompoundChip name={entry.mvoc} compound={entry.compound} colours={colours} />
      <span className="olfi-addr">{frame ? visibleText(`${frame.source ? `${frame.source}→` : ''}${frame.address}`) : ''}</span>
      <span className="olfi-type">{frame?.control.type ?? ''}</span>
      <span className="olfi-payload">{visibleText(frame?.payload ?? entry.raw ?? '')}</span>
      <span className={valid ? 'olfi-ok' : 'olfi-bad'} title={visibleText(entry.reason) || 'checksum matches the payload'}>
        {valid ? '✓' : `✗ ${visibleText(entry.reason)}`}
      </span>
    </div>
  );
});

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <li className="olfi-field">
      <span className="olfi-field-label">{label}</span>
      <span className="olfi-field-value">{children}</span>
    </li>
  );
}

function Timeline({ entry, colours }: { entry: OlFiEntryView; colours: Colours }) {
  const frame = entry.frame!;
  const names = entry.frameCompounds;
  return (
    <ol className="olfi-timeline" aria-label="Frame fields in RFC order">
      <Field label="Preamble">{frame.preamble.map((n, i) => <CompoundChip key={i} name={n} compound={names?.preamble[i]} colours={colours} />)}</Field>
      <Field label="Address">
        {visibleText(frame.address)}
        {frame.source && <span className="pkg-dim"> from {visibleText(frame.source)}</span>}
      </Field>
      <Field label="Control">
        {frame.control.type} · #{frame.control.sequence} · {frame.control.priority}
      </Field>
      <Field label="Payload">
        <CompoundChip name={entry.mvoc} compound={entry.compound} colours={colours} /> <code>{visibleText(frame.payload)}</code>
      </Field>
      <Field label="Checksum">
        <span className={entry.checksumMatches ? 'olfi-ok' : 'olfi-bad'}>
          {frame.checksum} {entry.checksumMatches ? '✓ matches' : `✗ payload sums to ${entry.computedChecksum}`}
        </span>
      </Field>
      <Field label="Terminator">{frame.terminator.map((n, i) => <CompoundChip key={i} name={n} compound={names?.terminator[i]} colours={colours} />)}</Field>
    </ol>
  );
}

/** The selected frame's fields in RFC order, as a chemical timeline: each field carried by its compounds. */
export function FrameDetails({ entry, colours }: { entry: OlFiEntryView; colours: Colours }) {
  return (
    <section className="olfi-inspector" aria-label="Frame inspector">
      <div>
        <strong>{visibleText(entry.mvoc ?? '(no mvoc)')}</strong> <span className="pkg-dim">{entry.id} · {isoTime(entry.time)}</span>
      </div>
      <div className={entry.status === 'valid' ? 'olfi-ok' : 'olfi-bad'}>{entry.status === 'valid' ? 'valid frame' : `${entry.status}: ${visibleText(entry.reason)}`}</div>
      {entry.frame ? <Timeline entry={entry} colours={colours} /> : <pre className="olfi-raw">{entry.raw === undefined ? '(no frame field)' : visibleText(entry.raw)}</pre>}
      {entry.extra && (
        <ul className="olfi-extra" aria-label="Extra fields">
          {Object.entries(entry.extra).map(([k, v]) => (
            <li key={k}>
              {visibleText(k)} = {visibleText(v)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Per-compound frames per second, as the main side's stats count them (oldest second first, the current one last). */
export function RateSparklines({ series, colours }: { series: Readonly<Record<string, number[]>>; colours: Colours }) {
  const shown = Object.entries(series).slice(0, 8);
  if (shown.length === 0) return null;
  return (
    <div className="olfi-sparklines">
      {shown.map(([name, values]) => {
        const max = Math.max(1, ...values);
        const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * 100},${20 - (v / max) * 18}`).join(' ');
        return (
          <figure key={name} className="olfi-spark" aria-label={`${visibleText(name)} rate`} role="img">
            <svg viewBox="0 0 100 20" preserveAspectRatio="none">
              <polyline points={points} fill="none" stroke={colours[name] ?? 'currentColor'} strokeWidth="1.5" />
            </svg>
            {/* The last complete second: the current one is still counting. */}
            <figcaption>{visibleText(name)} {values.at(-2) ?? 0}/s</figcaption>
          </figure>
        );
      })}
    </div>
  );
}

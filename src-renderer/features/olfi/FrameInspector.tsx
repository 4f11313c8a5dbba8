// The selected frame's fields in RFC order, as a chemical timeline: each field carried by its compounds.
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';
import { isoTime, visibleText } from '../../../src-preload/contract/outside-values';
import { entryTime, selectSelected, useOlFi } from '../../stores/olfi';
import { CompoundChip } from './FrameTable';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <li className="olfi-field">
      <span className="olfi-field-label">{label}</span>
      <span className="olfi-field-value">{children}</span>
    </li>
  );
}

function Timeline({ entry }: { entry: OlFiEntryView }) {
  const frame = entry.frame!;
  const valid = entry.status === 'valid';
  return (
    <ol className="olfi-timeline" aria-label="Frame fields in RFC order">
      <Field label="Preamble">{frame.preamble.map((n, i) => <CompoundChip key={i} name={n} />)}</Field>
      <Field label="Address">
        {visibleText(frame.address)}
        {frame.source && <span className="pkg-dim"> from {visibleText(frame.source)}</span>}
      </Field>
      <Field label="Control">
        {frame.control.type} · #{frame.control.sequence} · {frame.control.priority}
      </Field>
      <Field label="Payload">
        <CompoundChip name={entry.mvoc} /> <code>{visibleText(frame.payload)}</code>
      </Field>
      <Field label="Checksum">
        <span className={valid || entry.status !== 'checksum-mismatch' ? 'olfi-ok' : 'olfi-bad'}>
          {frame.checksum} {entry.computedChecksum === frame.checksum ? '✓ matches' : `✗ payload sums to ${entry.computedChecksum}`}
        </span>
      </Field>
      <Field label="Terminator">{frame.terminator.map((n, i) => <CompoundChip key={i} name={n} />)}</Field>
    </ol>
  );
}

export function FrameInspector() {
  const entry = useOlFi(selectSelected);
  if (!entry) return <p className="pkg-dim olfi-pad">Select a frame to inspect it.</p>;
  return (
    <section className="olfi-inspector" aria-label="Frame inspector">
      <div>
        <strong>{visibleText(entry.mvoc ?? '(no mvoc)')}</strong> <span className="pkg-dim">{entry.id} · {isoTime(entryTime(entry.id))}</span>
      </div>
      <div className={entry.status === 'valid' ? 'olfi-ok' : 'olfi-bad'}>{entry.status === 'valid' ? 'valid frame' : `${entry.status}: ${visibleText(entry.reason)}`}</div>
      {entry.frame ? <Timeline entry={entry} /> : <pre className="olfi-raw">{entry.raw === undefined ? '(no frame field)' : visibleText(entry.raw)}</pre>}
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

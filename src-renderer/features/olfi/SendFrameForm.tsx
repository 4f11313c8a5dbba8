// Compose and send a test frame; the checksum the main side computes is shown as the payload is typed.
import { useEffect, useState } from 'react';
import { olfiStore, useOlFi } from '../../stores/olfi';

/** The main side's checksum of `payload`; null until it answers for the payload as it is now. */
function useChecksum(payload: string): number | null {
  const [known, setKnown] = useState<{ payload: string; checksum: number | null } | null>(null);
  useEffect(() => {
    let current = true;
    void olfiStore
      .getState()
      .checksumOf(payload)
      .then((checksum) => {
        if (current) setKnown({ payload, checksum });
      });
    return () => {
      current = false;
    };
  }, [payload]);
  return known?.payload === payload ? known.checksum : null;
}

export function SendFrameForm() {
  const compounds = useOlFi((s) => s.compounds);
  const types = useOlFi((s) => s.messageTypes);
  const priorities = useOlFi((s) => s.priorities);
  const lastPublish = useOlFi((s) => s.lastPublish);
  const [mvoc, setMvoc] = useState('ACETOIN');
  const [address, setAddress] = useState('*');
  const [type, setType] = useState('STATUS');
  const [priority, setPriority] = useState<'emergency' | 'high' | 'normal' | 'low'>('normal');
  const [payload, setPayload] = useState('');
  const [sending, setSending] = useState(false);
  const checksum = useChecksum(payload);

  return (
    <form
      className="olfi-send"
      aria-label="Send frame"
      onSubmit={(event) => {
        event.preventDefault();
        setSending(true);
        void olfiStore
          .getState()
          .publish({ mvoc, address, type, priority, payload, source: 'workbench' })
          .finally(() => setSending(false));
      }}
    >
      <label>
        Compound
        <select value={mvoc} onChange={(e) => setMvoc(e.target.value)}>
          {compounds.map((c) => (
            <option key={c.name} value={c.name}>
              {c.displayName} ({c.roles.join(', ')})
            </option>
          ))}
        </select>
      </label>
      <label>
        Address
        <input value={address} onChange={(e) => setAddress(e.target.value)} spellCheck={false} maxLength={64} />
      </label>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.target.value)}>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select value={priority} onChange={(e) => setPriority(e.target.value as typeof priority)}>
          {priorities.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      <label>
        Payload
        <textarea value={payload} onChange={(e) => setPayload(e.target.value)} rows={2} maxLength={4096} spellCheck={false} />
      </label>
      <div className="toolbar">
        <output aria-label="Checksum">Checksum {checksum ?? '…'}</output>
        <button type="submit" disabled={sending || address.trim() === ''}>
          Send frame
        </button>
      </div>
      {lastPublish && <div className="pkg-dim">{lastPublish}</div>}
    </form>
  );
}

// The selected frame, shown in full.
import { selectSelected, useOlFi } from '../../stores/olfi';
import { FrameDetails } from './frame-parts';

export function FrameInspector() {
  const entry = useOlFi(selectSelected);
  const colours = useOlFi((s) => s.colours);
  if (!entry) return <p className="pkg-dim olfi-pad">Select a frame to inspect it.</p>;
  return <FrameDetails entry={entry} colours={colours} />;
}

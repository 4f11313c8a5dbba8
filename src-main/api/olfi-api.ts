// Ol-Fi domain handlers: thin calls into OlFiService and the visualizer owner.
import { MESSAGE_TYPES, PRIORITIES, buildFrame, computeChecksum, type MessageType } from '../olfi/frame-codec';
import { MVOC_COMPOUNDS } from '../olfi/mvoc-library';
import type { MirrorUpdate } from '../olfi/olfi-mirror';
import type { OlFiStatus } from '../olfi/olfi-service';
import type { VisualizerStatus } from '../visualizer/visualizer-process';
import { defineApi } from './define-api';

export const olfiApi = defineApi(
  'olfi',
  ({ olfi, visualizer }) => ({
    'olfi:library': () => ({ compounds: [...MVOC_COMPOUNDS], messageTypes: [...MESSAGE_TYPES], priorities: [...PRIORITIES] }),
    'olfi:status': async () => ({ status: olfi.status(), stats: await olfi.stats() }),
    'olfi:window': ({ offset, count }) => ({ entries: olfi.window(offset, count), buffered: olfi.buffered }),
    'olfi:history': async ({ beforeId, count }) => ({ entries: await olfi.history(beforeId, count) }),
    'olfi:publish': async ({ mvoc, frame, force, ...fields }) => {
      const text = frame ?? JSON.stringify(buildFrame({ ...fields, address: fields.address ?? '*', type: (fields.type ?? 'BROADCAST') as MessageType }));
      const result = await olfi.publish(mvoc, text, { force });
      return { id: result.id, mvoc: result.mvoc, status: result.classification.status, reason: result.classification.reason };
    },
    'olfi:checksum': ({ payload }) => ({ checksum: computeChecksum(payload) }),
    'olfi:visualizerStatus': () => ({ status: visualizer.status, log: visualizer.log }),
    'olfi:visualizerLaunch': async () => {
      await visualizer.relaunch(olfi.visualizerTarget());
      return { status: visualizer.status, log: visualizer.log };
    },
    'olfi:visualizerStop': async () => ({ status: await visualizer.stop(), log: visualizer.log }),
  }),
  ({ olfi, visualizer }, publish) => {
    const onUpdate = (update: MirrorUpdate) => publish('olfi:entries', update);
    const onStatus = (status: OlFiStatus) => publish('olfi:status', status);
    const onVisualizer = (status: VisualizerStatus) => publish('olfi:visualizer', status);
    olfi.on('update', onUpdate);
    olfi.on('status', onStatus);
    visualizer.on('status', onVisualizer);
    return () => {
      olfi.off('update', onUpdate);
      olfi.off('status', onStatus);
      visualizer.off('status', onVisualizer);
    };
  },
);

import type { MetricsStatus } from '../metrics/metrics-service';
import type { StoredMetric } from '../metrics/metrics-store';
import { defineApi } from './define-api';

export const metricsApi = defineApi(
  'metrics',
  ({ metrics }) => ({
    'metrics:status': () => metrics.status(),
    'metrics:connect': ({ endpoint }) => metrics.connect(endpoint),
    'metrics:disconnect': () => metrics.disconnect(),
    'metrics:snapshot': ({ points }) => metrics.snapshot(points),
  }),
  ({ metrics }, publish) => {
    const onSamples = (samples: StoredMetric[]) => publish('metrics:samples', { samples });
    const onStatus = (status: MetricsStatus) => publish('metrics:status', status);
    metrics.on('samples', onSamples);
    metrics.on('status', onStatus);
    return () => {
      metrics.off('samples', onSamples);
      metrics.off('status', onStatus);
    };
  },
);

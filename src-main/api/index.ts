// The implementation registry: one DomainApi per contract domain. Add a domain with one line.
import type { Services } from '../services';
import { Api } from './api';
import { appApi } from './app-api';
import type { Logger } from './contract-errors';
import { debugApi } from './debug-api';
import type { DomainApi } from './define-api';
import { layoutApi } from './layout-api';
import { metricsApi } from './metrics-api';
import { olfiApi } from './olfi-api';
import { packagesApi } from './packages-api';
import { sessionsApi } from './sessions-api';
import { settingsApi } from './settings-api';
import { valuesApi } from './values-api';
import { workspaceApi } from './workspace-api';

export const domainApis: readonly DomainApi[] = [
  sessionsApi,
  workspaceApi,
  settingsApi,
  appApi,
  packagesApi,
  metricsApi,
  olfiApi,
  valuesApi,
  debugApi,
  layoutApi,
];

export function createApi(services: Services, log?: Logger): Api {
  return new Api(services, domainApis, log);
}

export { Api, type EventListener } from './api';
export type { ApiContext } from './define-api';

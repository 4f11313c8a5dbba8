// The one contract between the UI and the services. Each domain file contributes its methods and
// events; add a domain with one line in each object below.
import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import type { Envelope } from './define';
import { metricsEvents, metricsMethods } from './metrics';
import { olfiEvents, olfiMethods } from './olfi';
import { packagesEvents, packagesMethods } from './packages';
import { sessionsEvents, sessionsMethods } from './sessions';
import { settingsEvents, settingsMethods } from './settings';
import { valuesEvents, valuesMethods } from './values';
import { workspaceEvents, workspaceMethods } from './workspace';

export const contract = {
  methods: {
    ...sessionsMethods,
    ...workspaceMethods,
    ...settingsMethods,
    ...appMethods,
    ...packagesMethods,
    ...metricsMethods,
    ...olfiMethods,
    ...valuesMethods,
  },
  events: {
    ...sessionsEvents,
    ...workspaceEvents,
    ...settingsEvents,
    ...appEvents,
    ...packagesEvents,
    ...metricsEvents,
    ...olfiEvents,
    ...valuesEvents,
  },
};

type Methods = typeof contract.methods;
type Events = typeof contract.events;

export type MethodName = keyof Methods & string;
export type EventName = keyof Events & string;
/** What a caller passes (defaults may be omitted). */
export type MethodInput<N extends MethodName> = z.input<Methods[N]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type MethodArgs<N extends MethodName> = z.output<Methods[N]['input']>;
export type MethodOutput<N extends MethodName> = z.output<Methods[N]['output']>;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;
export type MethodResult<N extends MethodName> = Envelope<MethodOutput<N>>;

export const methodNames = Object.keys(contract.methods) as MethodName[];
export const eventNames = Object.keys(contract.events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract.methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(contract.events, name);
}

export { ERROR_CODES, type ContractError, type Envelope, type ErrorCode } from './define';
export type { BioxenBridge } from './bridge';

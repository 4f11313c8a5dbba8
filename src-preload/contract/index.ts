// The one contract between the UI and the services. Each domain file contributes its methods and
// events; add a domain with one line in each object below, and its names to names.ts (for the preload).
import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import { debugEvents, debugMethods } from './debug';
import type { Envelope } from './define';
import { layoutMethods } from './layout';
import { metricsEvents, metricsMethods } from './metrics';
import { EVENT_NAMES, METHOD_NAMES } from './names';
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
    ...debugMethods,
    ...layoutMethods,
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
    ...debugEvents,
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

/** What both transports give the renderer: `window.bioxen` under Electron (the preload), and the WebSocket client in a browser. */
export interface BioxenBridge {
  /** Never rejects for service errors: they come back as `{ ok: false, error }`. */
  invoke<N extends MethodName>(name: N, input: MethodInput<N>): Promise<MethodResult<N>>;
  /** Returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

export const methodNames: readonly MethodName[] = METHOD_NAMES;
export const eventNames: readonly EventName[] = EVENT_NAMES;
export { isEventName, isMethodName } from './names';

// The preload's name lists (names.ts) are exactly the contract's names: a method or event missing from them, or
// listed but not in the contract, fails here with its name.
type Listed<L extends readonly string[]> = { [K in L[number]]: true };
const _everyListedMethodExists: Listed<typeof METHOD_NAMES> = {} as Record<MethodName, true>;
const _everyMethodListed: Record<MethodName, true> = {} as Listed<typeof METHOD_NAMES>;
const _everyListedEventExists: Listed<typeof EVENT_NAMES> = {} as Record<EventName, true>;
const _everyEventListed: Record<EventName, true> = {} as Listed<typeof EVENT_NAMES>;

export { ERROR_CODES, type ContractError, type Envelope, type ErrorCode } from './define';

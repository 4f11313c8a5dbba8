// The contract's method and event names without their schemas: all the sandboxed preload needs to refuse a
// name outside the contract before it reaches IPC, so it bundles this file instead of zod and every schema.
// index.ts checks at compile time that these lists are exactly the contract's names (tsc names the odd one out).

export const METHOD_NAMES = [
  'sessions:list', 'sessions:create', 'sessions:attach', 'sessions:detach', 'sessions:interrupt', 'sessions:restart', 'sessions:terminate', 'sessions:sendInput', 'sessions:run', 'sessions:output', 'sessions:check', 'sessions:completions',
  'workspace:list', 'workspace:read', 'workspace:write', 'workspace:saveAs', 'workspace:sessionScript', 'workspace:examples', 'workspace:fromExample',
  'settings:get', 'settings:update', 'settings:addLuaExecutable',
  'app:info',
  'packages:catalog', 'packages:search', 'packages:info', 'packages:preview', 'packages:install', 'packages:update', 'packages:recommendations', 'packages:remove', 'packages:list', 'packages:repositories', 'packages:addRepository', 'packages:removeRepository', 'packages:environments', 'packages:createEnvironment', 'packages:deleteEnvironment', 'packages:bootstrap', 'packages:bindSession', 'packages:health',
  'metrics:status', 'metrics:connect', 'metrics:disconnect', 'metrics:snapshot',
  'olfi:library', 'olfi:status', 'olfi:window', 'olfi:history', 'olfi:publish', 'olfi:checksum', 'olfi:visualizerStatus', 'olfi:visualizerLaunch', 'olfi:visualizerStop',
  'values:children', 'values:string', 'values:globals',
  'debug:setBreakpoints', 'debug:breakpoints', 'debug:attach', 'debug:detach', 'debug:setExceptions', 'debug:run', 'debug:runs', 'debug:pause', 'debug:continue', 'debug:next', 'debug:stepIn', 'debug:stepOut', 'debug:runTo', 'debug:stack', 'debug:scopes', 'debug:variables', 'debug:string', 'debug:evaluate', 'debug:setVariable',
  'layout:get', 'layout:save',
] as const;

export const EVENT_NAMES = [
  'sessions:changed', 'sessions:output',
  'workspace:changed',
  'settings:changed',
  'app:command',
  'packages:progress', 'packages:changed',
  'metrics:samples', 'metrics:status',
  'olfi:entries', 'olfi:status', 'olfi:visualizer',
  'debug:stopped', 'debug:continued', 'debug:ended', 'debug:breakpoints',
] as const;

const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

export function isMethodName(name: unknown): name is (typeof METHOD_NAMES)[number] {
  return typeof name === 'string' && methods.has(name);
}

export function isEventName(name: unknown): name is (typeof EVENT_NAMES)[number] {
  return typeof name === 'string' && events.has(name);
}

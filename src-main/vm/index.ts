// The Lua VM engine's public surface.
export * from './types';
export * from './errors';
export { VMLogger, debugFromEnv, type LogLevel, type LogSink } from './logger';
export { discoverLua, probeLua, resolveLua, parseBanner, LUA_CANDIDATES, LuaInterpreters, type LuaInterpretersOptions } from './lua-discovery';
export { DEFAULT_LIMITS, DEFAULT_CAPABILITIES } from './limits';
export { LuaProcess, type ExecOptions, type LuaProcessOptions } from './lua-process';
export { InteractiveSession, DEFAULT_READER, type AttachResult, type InputResult, type EnvironmentResolver } from './interactive-session';
export { SessionManager } from './session-manager';
export { ExecHandle, type ExecStatus } from './exec-handle';
export { OutputBuffer } from './output-buffer';
export { VMManager, type VMManagerOptions, type CreateInteractiveOptions, type HostCallHandler } from './vm-manager';

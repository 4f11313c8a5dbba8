// VMLogger: component-tagged logging; debug lines only when debug mode is on (the constructor
// flag, BIOXEN_DEBUG=true or the seed's PYLUA_DEBUG=true).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, component: string, message: string) => void;

const stderrSink: LogSink = (level, component, message) => {
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [${component}] ${message}\n`);
};

export function debugFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.BIOXEN_DEBUG?.toLowerCase() === 'true' || env.PYLUA_DEBUG?.toLowerCase() === 'true';
}

export class VMLogger {
  readonly debugMode: boolean;

  constructor(
    options: { debugMode?: boolean; component?: string; sink?: LogSink } = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.debugMode = options.debugMode ?? debugFromEnv(env);
    this.component = options.component ?? 'VM';
    this.sink = options.sink ?? stderrSink;
  }

  readonly component: string;
  private readonly sink: LogSink;

  /** A logger for a part of this component; `debugMode` overrides the parent's (a VM's debugMode option). */
  child(component: string, debugMode = this.debugMode): VMLogger {
    return new VMLogger({ debugMode, component, sink: this.sink }, this.env);
  }

  debug(message: string): void {
    if (this.debugMode) this.sink('debug', this.component, message);
  }

  info(message: string): void {
    this.sink('info', this.component, message);
  }

  warn(message: string): void {
    this.sink('warn', this.component, message);
  }

  error(message: string): void {
    this.sink('error', this.component, message);
  }
}

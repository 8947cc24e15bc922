/** The subset of pino's API the hub uses; a pino logger satisfies it as is. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const noop = (): void => {};

/** The default: the hub is silent unless it is given a logger. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

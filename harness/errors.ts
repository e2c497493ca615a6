// converge's one error tree (after KafkaJS): every error says whether its outcome is definite
// (the operation certainly did not happen) and whether a retry may help, and keeps its cause.
// Code branches on these fields and on the class, never on message text.

export interface ConvergeErrorOptions {
  /** The operation certainly did not take effect (a `fail`); false means the outcome is unknown. */
  definite?: boolean;
  /** A retry may succeed (a timeout, a connection refused while a service starts). */
  retriable?: boolean;
  cause?: unknown;
}

export class ConvergeError extends Error {
  readonly definite: boolean;
  readonly retriable: boolean;

  constructor(message: string, options: ConvergeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.definite = options.definite ?? true;
    this.retriable = options.retriable ?? false;
  }
}

/** Bad input from the user: a flag, a scenario field, an environment variable. Exit code 2. */
export class ConfigError extends ConvergeError {
  constructor(message: string, options: ConvergeErrorOptions = {}) {
    super(message, { definite: true, retriable: false, ...options });
  }
}

/** A tool or package the machine lacks; the message names it and the line that installs it. */
export class PrerequisiteError extends ConvergeError {
  constructor(
    readonly prerequisite: string,
    readonly installHint: string,
    detail?: string,
  ) {
    super(`missing prerequisite: ${prerequisite}${detail ? ` (${detail})` : ''}. Install it with: ${installHint}`, {
      definite: true,
      retriable: false,
    });
  }
}

/** A service did not start or did not become ready in time. */
export class ServiceStartError extends ConvergeError {
  constructor(
    readonly service: string,
    message: string,
    options: ConvergeErrorOptions = {},
  ) {
    super(`${service}: ${message}`, { definite: true, retriable: false, ...options });
  }
}

/** A deadline passed; what was under way may or may not have happened. */
export class TimeoutError extends ConvergeError {
  constructor(message: string, options: ConvergeErrorOptions = {}) {
    super(message, { definite: false, retriable: true, ...options });
  }
}

/** True for JavaScript programming errors, which are never retried. */
export function isProgrammingError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError || error instanceof RangeError;
}

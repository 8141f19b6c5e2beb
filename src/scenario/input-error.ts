/**
 * An error caused by the user's input (scenario, trace, CLI flag). The CLI prints its message as
 * one line and exits with code 2; anything else is a bug and keeps its stack trace.
 */
export class InputError extends Error {
  constructor(
    /** File (or "--flag") the problem is in. */
    readonly where: string,
    /** Field path or "line N". Empty when the whole input is wrong. */
    readonly field: string,
    /** What was expected / what to do. */
    readonly detail: string,
  ) {
    super(field ? `${where}: ${field}: ${detail}` : `${where}: ${detail}`);
    this.name = 'InputError';
  }
}

import {
  A2AError,
  RequestMalformedError,
  TaskNotCancelableError,
  TaskNotFoundError,
  UnsupportedOperationError,
} from '@a2a-js/sdk/errors';
import { TaskError } from '../tasks/task-error';

/**
 * Maps a failure from the task core (or push configs) to the SDK's A2A error, which each
 * binding then renders its own way: JSON-RPC code, or REST status + google.rpc.Status body.
 * An A2AError passes through unchanged; anything else becomes a plain A2AError (-32603 / 500)
 * carrying its message.
 */
export function toA2AError(err: unknown): A2AError {
  if (err instanceof A2AError) return err;
  if (err instanceof TaskError) {
    switch (err.kind) {
      case 'task-not-found':
        return new TaskNotFoundError({ message: err.message, cause: err });
      case 'task-not-cancelable':
        return new TaskNotCancelableError({ message: err.message, cause: err });
      case 'unsupported-operation':
      case 'invalid-transition':
        return new UnsupportedOperationError({ message: err.message, cause: err });
      case 'invalid-params':
        return new RequestMalformedError({ message: err.message, cause: err });
      // The protocol has no "config not found" error; TaskNotFound is its nearest (-32001 / 404)
      // and the message names the config.
      case 'push-config-not-found':
        return new TaskNotFoundError({ message: err.message, cause: err });
      case 'shutting-down':
        return new A2AError({ message: err.message, cause: err });
    }
  }
  return new A2AError({ message: err instanceof Error ? err.message : 'An unexpected error occurred.', cause: err });
}

/** Runs `work`, rethrowing any failure as the A2A error `toA2AError` maps it to. */
export async function asA2A<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toA2AError(err);
  }
}

export function malformed(message: string): A2AError {
  return new RequestMalformedError(message);
}

/**
 * GetExtendedAgentCard without a bearer token. Authentication is the transport's business in
 * A2A (HTTP 401), and the SDK has no error class for it, so transports check for this one.
 */
export class AuthenticationRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationRequiredError';
  }
}

export function extendedCardNeedsAuth(): AuthenticationRequiredError {
  return new AuthenticationRequiredError(
    'The extended agent card is only for authenticated clients: send "Authorization: Bearer ct_..." (create a token with "codetether token create --name <name>").',
  );
}

import { Role, TaskState, type Message, type SendMessageRequest } from '@a2a-js/sdk';
import { malformed } from './errors';

// The SDK's fromJSON decoders are lenient (missing fields become '' / [] / UNRECOGNIZED), so
// the request handler checks what it relies on here and answers -32602 / 400 with a reason.

export function requireId(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw malformed(`${field} is required: a non-empty string.`);
  return value;
}

/** undefined (absent) or a non-negative integer; historyLength 0 means "no history". */
export function optionalCount(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) throw malformed(`${field} must be a non-negative integer.`);
  return value;
}

export function validateMessage(message: Message | undefined): Message {
  if (!message) throw malformed('message is required.');
  requireId(message.messageId, 'message.messageId');
  if (message.role === Role.UNRECOGNIZED) throw malformed('message.role is not a known role; send "ROLE_USER".');
  if (message.role !== Role.ROLE_USER) throw malformed('message.role must be "ROLE_USER" for a message sent to the agent.');
  if (message.parts.length === 0) throw malformed('message.parts must hold at least one part.');
  message.parts.forEach((part, i) => {
    if (!part.content) throw malformed(`message.parts[${i}] has no content: give it one of "text", "data", "url" or "raw".`);
  });
  return message;
}

export function validateSend(params: SendMessageRequest): SendMessageRequest {
  validateMessage(params.message);
  const config = params.configuration;
  if (config) {
    optionalCount(config.historyLength, 'configuration.historyLength');
    const push = config.taskPushNotificationConfig;
    if (push && !push.url) throw malformed('configuration.taskPushNotificationConfig.url is required.');
  }
  return params;
}

/** A ListTasks status filter: unset (UNSPECIFIED) or a known state. */
export function optionalState(state: TaskState, field: string): TaskState | undefined {
  if (state === TaskState.TASK_STATE_UNSPECIFIED) return undefined;
  if (TaskState[state] === undefined || state === TaskState.UNRECOGNIZED) {
    throw malformed(`${field} is not a known task state; use one of TASK_STATE_SUBMITTED, TASK_STATE_WORKING, TASK_STATE_COMPLETED, ...`);
  }
  return state;
}

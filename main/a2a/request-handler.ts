import type {
  AgentCard,
  CancelTaskRequest,
  DeleteTaskPushNotificationConfigRequest,
  GetExtendedAgentCardRequest,
  GetTaskPushNotificationConfigRequest,
  GetTaskRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  ListTasksRequest,
  ListTasksResponse,
  Message,
  SendMessageRequest,
  StreamResponse,
  SubscribeToTaskRequest,
  Task,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import type { A2ARequestHandler, ServerCallContext } from '@a2a-js/sdk/server';
import type { PushConfigs } from '../push/push-configs';
import type { SendOptions, SendResult } from '../tasks/send-input';
import type { TaskService } from '../tasks/service';
import { originOf, resumeSeqOf, stopSourceOfCall } from './call-context';
import { asA2A, AuthenticationRequiredError, extendedCardNeedsAuth, toA2AError } from './errors';

export { AuthenticationRequiredError };
import { createEventFeed } from './event-feed';
import { followTask } from './task-stream';
import { optionalCount, optionalState, requireId, validateSend } from './validate';

export interface RequestHandlerDeps {
  tasks: TaskService;
  push: PushConfigs;
  card: () => AgentCard;
  /** The card for authenticated callers; the public card when absent. */
  extendedCard?: () => AgentCard;
}

export interface CodeTetherRequestHandler extends A2ARequestHandler {
  /**
   * Streams a task's events after `afterSeq` (a Last-Event-ID), without the Task snapshot a
   * fresh SubscribeToTask starts with: the client already has everything up to that seq.
   * `resubscribe` does the same when the transport created the call context with
   * `resumeAfterSeq`, which is how requests through the SDK's transports reach it.
   */
  streamFrom(taskId: string, afterSeq: number, ctx: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined>;
}

/**
 * Our A2ARequestHandler: the SDK's DefaultRequestHandler keeps tasks in its own TaskStore and
 * cannot replay from a seq, so every method here goes straight to the durable task core.
 * The SDK's transports (JSON-RPC v1.0 and v0.3) decode requests and encode answers around it.
 */
export function createRequestHandler(deps: RequestHandlerDeps): CodeTetherRequestHandler {
  const { tasks, push } = deps;

  /** Commits the message (a new task or a continuation) and attaches its push config. */
  async function startSend(params: SendMessageRequest, ctx: ServerCallContext, options: SendOptions = {}): Promise<SendResult> {
    validateSend(params);
    const config = params.configuration?.taskPushNotificationConfig;
    if (config) await asA2A(() => push.checkTarget(config.url));
    const result = await tasks.send({ message: params.message as Message, metadata: params.metadata, origin: originOf(ctx) }, options);
    if (config) {
      // fromSeq: the agent may already be reporting; the config still gets every event of this
      // send. A failure storing it cancels the task (if it is still running) rather than let it
      // run unwatched.
      try {
        await push.create({ ...config, taskId: result.task.id }, { fromSeq: result.firstSeq });
        // The config shares the connection's current group commit: answer once it is durable.
        await tasks.durable();
      } catch (err) {
        result.watch?.close();
        result.unfollow?.();
        await tasks.cancel(result.task.id).catch(() => {
          // Already terminal: nothing left to stop.
        });
        throw err;
      }
    }
    return result;
  }

  return {
    async getAgentCard() {
      return deps.card();
    },

    async getAuthenticatedExtendedAgentCard(_params: GetExtendedAgentCardRequest, ctx: ServerCallContext) {
      if (!ctx.user?.isAuthenticated) {
        throw extendedCardNeedsAuth();
      }
      return (deps.extendedCard ?? deps.card)();
    },

    sendMessage(params: SendMessageRequest, ctx: ServerCallContext): Promise<Task | Message> {
      return asA2A(async () => {
        const blocking = !params.configuration?.returnImmediately;
        const { task, watch } = await startSend(params, ctx, { watch: blocking });
        const historyLength = params.configuration?.historyLength;
        if (!watch) return historyLength === undefined ? task : tasks.get(task.id, { historyLength });
        // Answered from the events this send watched being committed: nothing to read back.
        return watch.settled(stopSourceOfCall(ctx), { historyLength });
      });
    },

    async *sendMessageStream(params: SendMessageRequest, ctx: ServerCallContext) {
      // Subscribed by the send itself, before its first event: the agent may answer before this stream reads anything.
      const feed = createEventFeed();
      let started: SendResult;
      try {
        started = await startSend(params, ctx, { follow: feed.listener, followFault: feed.fault });
      } catch (err) {
        throw toA2AError(err);
      }
      const unsubscribe = started.unfollow ?? (() => {});
      // Only a new task can be answered with a Message; a continuation streams as it goes.
      const opening = started.firstSeq === 1 ? { feed, unsubscribe } : undefined;
      if (!opening) unsubscribe();
      yield* followTask(tasks, started.task.id, ctx, { afterSeq: started.firstSeq - 1, opening });
    },

    getTask(params: GetTaskRequest) {
      return asA2A(() => {
        const historyLength = optionalCount(params.historyLength, 'historyLength');
        return tasks.get(requireId(params.id, 'id'), { historyLength });
      });
    },

    listTasks(params: ListTasksRequest): Promise<ListTasksResponse> {
      return asA2A(() =>
        tasks.list({
          contextId: params.contextId || undefined,
          state: optionalState(params.status, 'status'),
          pageSize: optionalCount(params.pageSize, 'pageSize'),
          pageToken: params.pageToken || undefined,
          historyLength: optionalCount(params.historyLength, 'historyLength'),
          statusTimestampAfter: params.statusTimestampAfter || undefined,
          includeArtifacts: params.includeArtifacts,
        }),
      );
    },

    cancelTask(params: CancelTaskRequest) {
      return asA2A(() => tasks.cancel(requireId(params.id, 'id')));
    },

    resubscribe(params: SubscribeToTaskRequest, ctx: ServerCallContext) {
      requireId(params.id, 'id');
      const afterSeq = resumeSeqOf(ctx);
      return followTask(tasks, params.id, ctx, afterSeq === undefined ? { snapshot: true } : { afterSeq });
    },

    streamFrom(taskId: string, afterSeq: number, ctx: ServerCallContext) {
      requireId(taskId, 'id');
      return followTask(tasks, taskId, ctx, { afterSeq });
    },

    createTaskPushNotificationConfig(params: TaskPushNotificationConfig) {
      return asA2A(async () => {
        requireId(params.taskId, 'taskId');
        requireId(params.url, 'url');
        const created = await push.create(params);
        // Config writes share the connection's current group commit: answer once it is durable.
        await tasks.durable();
        return created;
      });
    },

    getTaskPushNotificationConfig(params: GetTaskPushNotificationConfigRequest) {
      return asA2A(() => push.get(requireId(params.taskId, 'taskId'), requireId(params.id, 'id')));
    },

    listTaskPushNotificationConfigs(params: ListTaskPushNotificationConfigsRequest): Promise<ListTaskPushNotificationConfigsResponse> {
      return asA2A(() => ({ configs: push.list(requireId(params.taskId, 'taskId')), nextPageToken: '' }));
    },

    deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest) {
      return asA2A(async () => {
        push.delete(requireId(params.taskId, 'taskId'), requireId(params.id, 'id'));
        await tasks.durable();
      });
    },
  };
}

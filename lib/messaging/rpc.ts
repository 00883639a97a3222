import { userMessage } from '../db/storage-errors';
import { describeZodError } from '../schema';
import { Envelope, protocol, tabEvents, type MessageName, type Reply, type RequestOf, type ResponseOf, type TabEventName, type TabReplyOf } from './protocol';
import { RpcError, createLightClient, type Transport } from './call';

export { RpcError, type Transport };

export type Handlers = { [N in MessageName]: (data: RequestOf<N>) => Promise<ResponseOf<N>> };

/**
 * The background's single entry point: every incoming message is parsed against the
 * protocol before a handler sees it, and every reply is parsed before it leaves, so neither
 * side ever acts on a shape it did not agree to. Never throws: failures become error replies.
 */
export function createDispatcher(handlers: Handlers) {
  return async function dispatch(message: unknown): Promise<Reply<unknown>> {
    const envelope = Envelope.safeParse(message);
    if (!envelope.success) return { ok: false, error: 'Not a Margin message.' };
    const { name, data } = envelope.data;
    if (!Object.hasOwn(protocol, name)) return { ok: false, error: `Unknown message "${name}".` };
    const spec = protocol[name as MessageName];
    const request = spec.request.safeParse(data);
    if (!request.success) return { ok: false, error: `Invalid "${name}" request: ${describeZodError(request.error)}` };
    try {
      const result = await (handlers[name as MessageName] as (d: unknown) => Promise<unknown>)(request.data);
      const response = spec.response.safeParse(result);
      if (!response.success) return { ok: false, error: `Margin produced an invalid "${name}" reply: ${describeZodError(response.error)}` };
      return { ok: true, data: response.data };
    } catch (error) {
      return { ok: false, error: userMessage(error) };
    }
  };
}

/** Typed calls into the background, with the reply parsed again on arrival (extension pages). */
export function createClient(transport: Transport) {
  const call = createLightClient(transport);
  return async function validatedCall<N extends MessageName>(name: N, data: RequestOf<N>): Promise<ResponseOf<N>> {
    const reply = await call(name, data);
    const parsed = protocol[name].response.safeParse(reply);
    if (!parsed.success) throw new RpcError(`Unexpected "${name}" reply: ${describeZodError(parsed.error)}`);
    return parsed.data as ResponseOf<N>;
  };
}

/** The tab events a page or the background asks a tab, awaiting its reply (`savedChanged` is only broadcast). */
export type TabQuestion = Exclude<TabEventName, 'savedChanged'>;

/**
 * Asks a tab's content script (extension pages and the background): the event is parsed before it leaves and the
 * reply on arrival, since the content script's side has no zod. Rejects with an RpcError when the tab has no Margin
 * (not loaded yet, a PDF, reloaded since) or answers out of contract.
 */
export function createTabClient(send: (tabId: number, message: unknown) => Promise<unknown>) {
  return async function askTab<E extends TabQuestion>(tabId: number, name: E): Promise<TabReplyOf<E>> {
    const spec = tabEvents[name];
    const message = spec.event.parse({ margin: 1, event: name });
    let reply: unknown;
    try {
      reply = await send(tabId, message);
    } catch {
      throw new RpcError('Margin is not running in this tab.');
    }
    const parsed = spec.reply.safeParse(reply);
    if (!parsed.success) throw new RpcError(`Unexpected "${name}" reply from the tab: ${describeZodError(parsed.error)}`);
    return parsed.data as TabReplyOf<E>;
  };
}

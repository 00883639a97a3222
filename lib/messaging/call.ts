import type { MessageName, Reply, RequestOf, ResponseOf, TabEvent, TabEventName, TabEventOf, TabReplyOf } from './protocol';

/**
 * The content scripts' side of the contract. It imports only types, so zod stays out of the
 * content bundle (budget: 15 KB gzip); the background has already parsed every reply against
 * the protocol before sending it. Extension pages use `createClient` from rpc.ts, which parses again.
 * Tab events come the other way: their senders parse them (rpc.ts); `readTabEvent` checks what arrives.
 */

/** Error replies carry a message meant for the user's eyes; the UI shows it as is. */
export class RpcError extends Error {
  override name = 'RpcError';
}

export type Transport = (message: unknown) => Promise<unknown>;

export function createLightClient(transport: Transport) {
  return async function call<N extends MessageName>(name: N, data: RequestOf<N>): Promise<ResponseOf<N>> {
    let reply: unknown;
    try {
      reply = await transport({ margin: 1, name, data });
    } catch (error) {
      throw new RpcError(
        /context invalidated/i.test(String(error))
          ? 'Margin was updated or reloaded: reload this page to reconnect.'
          : 'Margin’s background is not answering. Try again in a moment.',
      );
    }
    const envelope = reply as Reply<unknown> | undefined;
    if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) throw new RpcError('Margin’s background gave no answer.');
    if (!envelope.ok) throw new RpcError(envelope.error);
    return envelope.data as ResponseOf<N>;
  };
}

const isChange = (change: unknown): change is { paperId: string; saved: boolean } =>
  !!change && typeof change === 'object' && typeof (change as { paperId?: unknown }).paperId === 'string' && typeof (change as { saved?: unknown }).saved === 'boolean';

/** A tab event as `TabEvent` in protocol.ts defines it (unknown keys dropped, as zod does), or null. */
export function readTabEvent(message: unknown): TabEvent | null {
  if (!message || typeof message !== 'object') return null;
  const { margin, event, changes } = message as { margin?: unknown; event?: unknown; changes?: unknown };
  if (margin !== 1) return null;
  if (event === 'getPaper' || event === 'toggleSave') return { margin, event };
  if (event === 'savedChanged' && Array.isArray(changes) && changes.every(isChange)) {
    return { margin, event, changes: changes.map(({ paperId, saved }) => ({ paperId, saved })) };
  }
  return null;
}

export type TabHandlers = { [E in TabEventName]: (event: TabEventOf<E>) => TabReplyOf<E> };

/** A content script's `runtime.onMessage` listener: answers the tab events, ignores everything else. */
export function createTabListener(handlers: TabHandlers) {
  return (message: unknown, sendResponse: (reply: unknown) => void): false => {
    const event = readTabEvent(message);
    if (!event) return false;
    const reply = (handlers[event.event] as (event: TabEvent) => unknown)(event);
    if (reply !== undefined) sendResponse(reply);
    return false;
  };
}

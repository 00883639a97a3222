import type { MessageName, Reply, RequestOf, ResponseOf } from './protocol';

/**
 * The content scripts' side of the contract. It imports only types, so zod stays out of the
 * content bundle (budget: 15 KB gzip); the background has already parsed every reply against
 * the protocol before sending it. Extension pages use `createClient` from rpc.ts, which parses again.
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

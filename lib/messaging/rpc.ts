import { describeZodError } from '../schema';
import { Envelope, protocol, type MessageName, type Reply, type RequestOf, type ResponseOf } from './protocol';
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

const STORAGE_UNAVAILABLE = new Set(['MissingAPIError', 'InvalidStateError', 'DatabaseClosedError', 'OpenFailedError', 'SecurityError', 'UnknownError', 'VersionError']);

/** The names of an error and of the errors it wraps (Dexie's `inner`, a BulkError's `failures`, `cause`). */
function errorNames(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  const failures = Array.isArray(e.failures) ? e.failures : e.failures && typeof e.failures === 'object' ? Object.values(e.failures) : [];
  return [
    ...(typeof e.name === 'string' ? [e.name] : []),
    ...errorNames(e.inner, depth + 1),
    ...errorNames(e.cause, depth + 1),
    ...failures.slice(0, 3).flatMap((failure) => errorNames(failure, depth + 1)),
  ];
}

/** A storage failure as a sentence (without promising what was kept), or null for other errors. */
export function storageProblem(error: unknown): string | null {
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) {
    return 'Your browser refused to store more data (storage quota exceeded); free some disk space or remove an imported corpus.';
  }
  if (names.some((name) => STORAGE_UNAVAILABLE.has(name))) {
    return 'Margin cannot open its local database (IndexedDB is unavailable, e.g. in a private window or with site data blocked).';
  }
  return null;
}

/** Turns storage failures into sentences a researcher can act on. */
export function userMessage(error: unknown): string {
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) {
    return 'Your browser refused to store more data (storage quota exceeded). Nothing was changed; free some disk space or remove an imported corpus.';
  }
  if (names.some((name) => STORAGE_UNAVAILABLE.has(name))) {
    return 'Margin cannot open its local database (IndexedDB is unavailable, e.g. in a private window or with site data blocked). Nothing was changed.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong in Margin.';
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

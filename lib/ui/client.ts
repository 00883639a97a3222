import { browser } from 'wxt/browser';
import { createClient } from '../messaging/rpc';

/** The validated client for extension pages (popup, options). */
export const callBackground = createClient((message) => browser.runtime.sendMessage(message));

import { browser } from 'wxt/browser';
import { createClient, createTabClient } from '../messaging/rpc';

/** The validated client for extension pages (popup, options). */
export const callBackground = createClient((message) => browser.runtime.sendMessage(message));

/** Asks a tab's content script (the popup: the paper of the active tab), both ways parsed by the contract. */
export const askTab = createTabClient((tabId, message) => browser.tabs.sendMessage(tabId, message));

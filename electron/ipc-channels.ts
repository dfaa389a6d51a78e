/** The two IPC channels between the preload and main, and the reply envelope. */
import type { WorkbenchErrorData } from '../engine/api/errors';

export const CALL_CHANNEL = 'workbench:call';
export const EVENT_CHANNEL = 'workbench:event';

export type IpcReply = { ok: true; value: unknown } | { ok: false; error: WorkbenchErrorData };

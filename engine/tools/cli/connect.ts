/**
 * Opening clients for the tools. The bootstrap brokers are tried once, up front, so that a
 * workbench that is not running is reported at once with what to do, instead of after the
 * admin client's retry deadline (Kafka's tools wait a minute and say "Timed out waiting
 * for a node assignment").
 */
import { Admin } from '../../client/admin';

export const TOOL_CLIENT_ID = 'stream-workbench-tools';

export async function connectAdmin(bootstrapServers: string, clientId = TOOL_CLIENT_ID): Promise<Admin> {
  const admin = new Admin({ bootstrapServers, clientId, defaultApiTimeoutMs: 30_000, requestTimeoutMs: 30_000 });
  try {
    await admin.cluster.anyConnection();
  } catch (err) {
    await admin.close();
    throw err;
  }
  return admin;
}

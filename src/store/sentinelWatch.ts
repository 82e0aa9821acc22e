import { Redis } from 'ioredis';

export type SentinelSet = {
  sentinels: { host: string; port: number }[];
  masterName: string;
  sentinelPassword?: string;
};

type Watch = { clients: Set<Redis>; listeners: Redis[] };

/** One watch per Sentinel set in this process, shared by all its connections. */
const watches = new Map<string, Watch>();

/**
 * Reconnects `client` when a sentinel announces a new primary (+switch-master) while the client is
 * still connected elsewhere. A primary demoted while up (SENTINEL FAILOVER, a healed partition) keeps
 * accepting writes until Sentinel reconfigures it, seconds later, and those writes would be lost.
 * Reconnecting asks the sentinels again. The watch ends with the last client it serves.
 */
export function watchFailovers(client: Redis, set: SentinelSet): void {
  const key = JSON.stringify([set.masterName, set.sentinels]);
  let watch = watches.get(key);
  if (!watch) {
    watch = startWatch(set);
    watches.set(key, watch);
  }
  const joined = watch;
  joined.clients.add(client);
  client.once('end', () => {
    joined.clients.delete(client);
    if (joined.clients.size > 0) return;
    watches.delete(key);
    for (const listener of joined.listeners) listener.disconnect();
  });
}

function startWatch(set: SentinelSet): Watch {
  const watch: Watch = { clients: new Set(), listeners: [] };
  for (const { host, port } of set.sentinels) {
    const listener = new Redis({
      host,
      port,
      ...(set.sentinelPassword ? { password: set.sentinelPassword } : {}),
      connectionName: 'crisis-route-failover-watch',
      connectTimeout: 2000,
      // A sentinel that is down is retried quietly; the others still announce.
      retryStrategy: (times) => Math.min(200 * times, 5000),
      enableReadyCheck: false,
    });
    listener.on('error', () => {});
    void listener.subscribe('+switch-master').catch(() => {});
    listener.on('message', (channel: string, message: string) => {
      // "<master name> <old ip> <old port> <new ip> <new port>"
      const [name, , , ip, newPort] = message.split(' ');
      if (channel !== '+switch-master' || name !== set.masterName || !ip || !newPort) return;
      kickStale(watch, ip, Number(newPort));
    });
    watch.listeners.push(listener);
  }
  return watch;
}

/**
 * Every sentinel announces the switch as it learns of it: a client that asked one not yet told is
 * still on the old primary and gets moved at the next announcement; one on the new primary stays.
 */
function kickStale(watch: Watch, ip: string, port: number): void {
  for (const client of watch.clients) {
    if (client.status !== 'ready' && client.status !== 'connect') continue;
    const remote = client.stream;
    const onNew = remote?.remotePort === port && remote.remoteAddress?.replace(/^::ffff:/, '') === ip;
    if (!onNew) client.disconnect(true);
  }
}

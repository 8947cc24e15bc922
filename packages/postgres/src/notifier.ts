import type { WakeTarget } from '@eventhub/core';
import pg from 'pg';
import { quote } from './schema.js';

export interface NotifierOptions {
  /** Where the listening connection goes: never through a pool, never through PgBouncer's transaction mode. */
  clientConfig: pg.ClientConfig;
  channel: string;
  target: WakeTarget;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
  /** Wraps a failure for `target.reportError` (adds the adapter, operation and `cause`). */
  wrapError(error: unknown): Error;
}

/**
 * One dedicated `pg.Client` that LISTENs on the schema's channel and wakes a topic when a commit
 * notifies it. NOTIFY is fire-and-forget: whatever is sent while this connection is down is lost.
 * So the connection is watched (TCP keepalive plus a heartbeat query that must answer in time),
 * re-opened with capped, jittered exponential backoff when it dies, and after every (re)connect
 * every topic is woken, so the dispatchers read what they missed from the tables.
 */
export class Notifier {
  /** The connection that is LISTENing; undefined while (re)connecting or after `stop`. */
  private client: pg.Client | undefined;
  /** A connection being opened; `stop` ends it too. */
  private pending: pg.Client | undefined;
  private stopped = false;
  private failures = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Everything in flight that `stop` must wait for: a connect, a heartbeat, a client ending. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly ended = new WeakSet<pg.Client>();

  constructor(private readonly options: NotifierOptions) {}

  /** Opens the first connection; rejects if it cannot (the caller learns at once, nothing keeps retrying). */
  async start(): Promise<void> {
    await this.track(this.connect());
  }

  /** Ends the connection, the timers and any reconnect; resolves once none of them is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.reconnectTimer);
    for (const client of [this.client, this.pending]) if (client) this.end(client);
    this.client = undefined;
    this.pending = undefined;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async connect(): Promise<void> {
    const { clientConfig, connectTimeoutMs, heartbeatIntervalMs, channel, target } = this.options;
    const client = new pg.Client({
      ...clientConfig,
      keepAlive: true,
      keepAliveInitialDelayMillis: heartbeatIntervalMs,
      connectionTimeoutMillis: connectTimeoutMs,
    });
    // pg emits 'error' on a client whose connection dies; unhandled, it would kill the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the listening connection was closed')));
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload) target.wake(message.payload);
    });
    this.pending = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${quote(channel)}`);
    } catch (error) {
      this.end(client);
      throw error;
    } finally {
      if (this.pending === client) this.pending = undefined;
    }
    if (this.stopped) {
      this.end(client);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.scheduleHeartbeat(client);
    // Notifications sent before LISTEN took effect (or while a previous connection was down) are
    // gone: every topic may have new events.
    target.wakeAll();
  }

  private scheduleHeartbeat(client: pg.Client): void {
    this.heartbeatTimer = setTimeout(() => this.heartbeat(client), this.options.heartbeatIntervalMs);
  }

  /** A query must answer within `heartbeatTimeoutMs`; else the connection counts as dead. */
  private heartbeat(client: pg.Client): void {
    if (client !== this.client) return;
    const { heartbeatTimeoutMs } = this.options;
    const timeout = new Error(`the listening connection did not answer a heartbeat within ${heartbeatTimeoutMs} ms`);
    const timer = setTimeout(() => this.lost(client, timeout), heartbeatTimeoutMs);
    this.track(
      client.query('SELECT 1').then(
        () => {
          clearTimeout(timer);
          if (client === this.client && !this.stopped) this.scheduleHeartbeat(client);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.lost(client, error);
        },
      ),
    );
  }

  /** The LISTENing connection failed: report it, drop it, and reconnect. Later events of an old client are ignored. */
  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client || this.stopped) return;
    this.client = undefined;
    clearTimeout(this.heartbeatTimer);
    this.end(client);
    // Reconnect first: the loop must go on whatever the report does.
    this.scheduleReconnect();
    this.options.target.reportError(this.options.wrapError(error));
  }

  private scheduleReconnect(): void {
    const { reconnectInitialDelayMs, reconnectMaxDelayMs } = this.options;
    this.failures++;
    const base = Math.min(reconnectMaxDelayMs, reconnectInitialDelayMs * 2 ** (this.failures - 1));
    // Jitter, so that many instances that lost the server together do not return in lockstep.
    const delayMs = Math.round(base * (0.8 + 0.4 * Math.random()));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped) return;
      this.track(
        this.connect().catch((error: unknown) => {
          if (this.stopped) return;
          this.scheduleReconnect();
          this.options.target.reportError(this.options.wrapError(error));
        }),
      );
    }, delayMs);
  }

  /**
   * Ends a client without waiting on a dead peer: pg destroys the socket when a query is active,
   * but a graceful end to a server that no longer answers would wait for TCP to give up.
   */
  private end(client: pg.Client): void {
    if (this.ended.has(client)) return;
    this.ended.add(client);
    const ended = client.end();
    const timer = setTimeout(() => client.connection.stream.destroy(), this.options.connectTimeoutMs);
    this.track(
      ended.then(
        () => clearTimeout(timer),
        // end() rejects only if the socket is already gone; it is closed either way.
        () => clearTimeout(timer),
      ),
    );
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = (): void => void this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

/** Bytes of the PostgreSQL wire protocol that the shared embedded session inspects or sends. */

const SYNC = 0x53; // 'S': ends an extended-protocol exchange
const QUERY = 0x51; // 'Q': a simple query is a whole exchange
const TERMINATE = 0x58; // 'X'
const PROTOCOL_3 = 196_608;

/** Whether a client message is a startup packet: no type byte, a length, then protocol 3.0. */
export function isStartup(message: Uint8Array): boolean {
  if (message.byteLength < 8 || message[0] !== 0) return false;
  return new DataView(message.buffer, message.byteOffset, message.byteLength).getInt32(4) === PROTOCOL_3;
}

/** Whether a client message ends its exchange, after which another client may take the session. */
export function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  return type === SYNC || type === QUERY || type === TERMINATE || isStartup(message);
}

/** One parameter of a startup packet (user, database, application_name...). */
export function startupParameter(message: Uint8Array, name: string): string | undefined {
  const parts = new TextDecoder().decode(message.subarray(8)).split('\0');
  for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) {
    if (parts[i] === name) return parts[i + 1];
  }
  return undefined;
}

/** One protocol message: its type byte, its length, then its body. */
export function wireMessage(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

/** A FATAL ErrorResponse, as a server sends before it closes a connection. */
export function fatalError(code: string, text: string): Uint8Array {
  return wireMessage('E', Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`, 'utf8'));
}

/**
 * Ends a client's unfinished exchange with a rollback: executing a portal that does not exist
 * fails, which aborts the exchange's implicit transaction, and Sync closes it. A bare Sync would
 * commit what the client never confirmed.
 */
export const ABORT_EXCHANGE: Uint8Array = Buffer.concat([
  wireMessage('E', Buffer.from('polaris_abandoned_exchange\0\0\0\0\0', 'latin1')),
  wireMessage('S', Buffer.alloc(0)),
]);

/**
 * Decision ids: UUIDs whose first 48 bits are the creation time in milliseconds (the layout of UUID version 7,
 * RFC 9562), the other 74 bits random as in a version 4 UUID. The decision record is keyed by its id, and a random
 * key lands each insert on a random page of the key's index (a page to read and write back per decision, more
 * splits, more pages written to the WAL at commit); ids in time order land at the end of the index, where the
 * previous decision's insert just was.
 */
import { randomUUID } from 'node:crypto';

/** A new decision id (36 characters, UUID layout, version 7: time-ordered between milliseconds). */
export function newDecisionId(now = Date.now()): string {
  const t = Math.max(0, Math.min(now, 0xffffffffffff)).toString(16).padStart(12, '0');
  // randomUUID(): "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"; keep its random bits after the version digit
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

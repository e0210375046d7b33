/**
 * The names dictionary (store_names, router v1): node, model and backend names are stored once and referenced by a
 * small integer from the append-only ledger and decision rows, so a row repeats no name (a node's "host:pid", a model's
 * file name) and stays compact. Ids are cached per process: names are few (nodes × models × backends), and a name's id
 * never changes once committed.
 */
import { currentTransaction, query, type PgPool } from './db.js';

export class PgNames {
  private readonly ids = new Map<string, number>();

  constructor(private readonly pool: PgPool) {}

  /**
   * The id of `name`, stored first if new. Outside a transaction the name commits on its own (harmless if the caller's
   * write then fails) and is cached; inside one it is written on the transaction's client (a second connection could
   * wait on a full pool) and cached only once that transaction committed, since a rollback takes it away.
   */
  async id(name: string): Promise<number> {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const tx = currentTransaction();
    const q = tx ?? this.pool;
    for (let attempt = 0; ; attempt++) {
      const ins = await query<{ id: number }>(q, 'INSERT INTO store_names (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id', [
        name,
      ]);
      const id = ins.rows[0]?.id ?? (await query<{ id: number }>(q, 'SELECT id FROM store_names WHERE name = $1', [name])).rows[0]?.id;
      if (id === undefined) {
        // inserted concurrently and not yet visible to this statement: look again
        if (attempt < 5) continue;
        throw new Error(`the name ${JSON.stringify(name)} could not be stored or read in store_names`);
      }
      if (!tx || ins.rows.length === 0) this.ids.set(name, id);
      return id;
    }
  }

  /** The id of `name` if it was ever stored (never stores it); null when no row was written with it. */
  async find(name: string): Promise<number | null> {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const r = await query<{ id: number }>(currentTransaction() ?? this.pool, 'SELECT id FROM store_names WHERE name = $1', [name]);
    const id = r.rows[0]?.id;
    if (id === undefined) return null;
    if (!currentTransaction()) this.ids.set(name, id);
    return id;
  }

  /** Ids of several names, in order. */
  async idsOf(names: (string | null)[]): Promise<(number | null)[]> {
    const out: (number | null)[] = [];
    for (const n of names) out.push(n === null ? null : await this.id(n));
    return out;
  }
}

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import knexFactory, { type Knex } from 'knex';
import { openCore } from '../../main/core.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import type { PgConnectionFields } from '../../main/platform/store/database.node.ts';
import { ADMIN, FAST_PASSWORDS, tempDir } from '../support/core.ts';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../support/postgresServer.ts';

/**
 * The README's office set-up, run for real: roles and database as the README creates them, the first start as
 * console_owner (which creates the tables), scripts/postgres/grants.sql, then everyday work as console_app.
 * PostgreSQL only.
 */
const skip = postgresSkipReason();
const OWNER = { user: 'console_owner', password: 'owner passphrase for set-up' };
const APP = { user: 'console_app', password: 'app passphrase for workstations' };

describe("the README's PostgreSQL set-up and grants", { skip }, () => {
  let server: PostgresServer;
  const fields = (who: { user: string; password: string }): PgConnectionFields => ({
    host: '127.0.0.1',
    port: server.port,
    database: 'privacy_console',
    user: who.user,
    password: who.password,
    ssl: false,
  });
  const asRole = (who: { user: string; password: string }): Knex => knexFactory({ client: 'pg', connection: fields(who), pool: { min: 0, max: 1 } });

  before(async () => {
    server = await startPostgres();
    // README, "Setting up PostgreSQL", steps 1-2.
    await server.sql(`CREATE ROLE console_owner LOGIN PASSWORD '${OWNER.password}';
      CREATE ROLE console_app LOGIN PASSWORD '${APP.password}';`);
    await server.sql(`CREATE DATABASE privacy_console OWNER console_owner ENCODING 'UTF8'`);
    await server.sql(`REVOKE ALL ON DATABASE privacy_console FROM PUBLIC;
      GRANT CONNECT, TEMPORARY ON DATABASE privacy_console TO console_app;`);
    await server.sql('ALTER SCHEMA public OWNER TO console_owner', 'privacy_console');
  });
  after(() => server?.stop());

  test('first start as the owner, grants.sql, then the workstations work as console_app and can only append to the audit trail', async () => {
    const vault = new MemoryVault();
    const dataDir = tempDir();
    const first = await openCore({ dataDir, vault, passwordCost: FAST_PASSWORDS, database: { client: 'pg', connection: fields(OWNER) } });
    const caller = { senderId: 'w1', trusted: true };
    assert.equal((await first.handle(caller, 'session.setup', ADMIN)).ok, true);
    await first.close();

    await server.sql(readFileSync(new URL('../../scripts/postgres/grants.sql', import.meta.url), 'utf8'), 'privacy_console');

    const everyday = await openCore({ dataDir, vault, passwordCost: FAST_PASSWORDS, database: { client: 'pg', connection: fields(APP) } });
    try {
      const login = await everyday.handle(caller, 'session.login', { username: ADMIN.username, password: ADMIN.password });
      assert.equal(login.ok, true, JSON.stringify(login));
      const created = await everyday.handle(caller, 'accounts.create', { username: 'sam.staff', displayName: 'Sam', role: 'staff', password: 'blue kettle morning tram' });
      assert.equal(created.ok, true, JSON.stringify(created));
      // A reads-only call stages its event and chains it after commit: the app role needs no more than the grants.
      const staff = { senderId: 'w2', trusted: true };
      assert.equal((await everyday.handle(staff, 'session.login', { username: 'sam.staff', password: 'blue kettle morning tram' })).ok, true);
      const searched = await everyday.handle(staff, 'customers.search', { by: 'email', value: 'nobody@example.com' });
      assert.equal(searched.ok, true, JSON.stringify(searched));
      const verified = await everyday.handle(caller, 'audit.verify', {});
      assert.equal(verified.ok && (verified.value as { ok: boolean }).ok, true, JSON.stringify(verified));
    } finally {
      await everyday.close();
    }

    const app = asRole(APP);
    try {
      assert.ok(Number((await app('audit_events').count<{ n: string }[]>('* as n'))[0]!.n) > 0);
      await assert.rejects(app('audit_events').update({ action: 'x' }), /permission denied/);
      await assert.rejects(app('audit_events').delete(), /permission denied/);
      await assert.rejects(app.raw('TRUNCATE audit_events'), /permission denied/);
      assert.equal(Number((await app('audit_events').where({ action: 'customer.search' }).count<{ n: string }[]>('* as n'))[0]!.n), 1, 'the staged search event is chained');
      assert.equal(Number((await app('audit_staged').count<{ n: string }[]>('* as n'))[0]!.n), 0, 'nothing left waiting');
      await assert.rejects(app('audit_staged').update({ action: 'x' }), /permission denied/);
      await assert.rejects(app.raw('TRUNCATE audit_staged'), /permission denied/);
      await assert.rejects(app.schema.createTable('planted', (t) => t.integer('x')), /permission denied/);
      await assert.rejects(app.raw('DROP TABLE audit_events'), /must be owner/);
    } finally {
      await app.destroy();
    }
  });
});

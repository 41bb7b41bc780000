/** The office's locale (issue #13): IT sets it from a known list; every session carries it; anything else is refused. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectError, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

let t: CustomerTestCore;
before(async () => void (t = await startCustomerCore()));
after(() => t.cleanup());

test('the locale defaults to en-GB, IT changes it, every session reads it; unknown locales and other roles are refused', async () => {
  assert.equal((await t.as('admin', 'settings.get', {})).locale, 'en-GB');
  assert.equal((await t.as('staff', 'session.status', {})).session.locale, 'en-GB');
  const saved = await t.as('admin', 'settings.update', { locale: 'de-DE' });
  assert.equal(saved.locale, 'de-DE');
  assert.equal((await t.as('staff', 'session.status', {})).session.locale, 'de-DE');
  expectError(await t.try('admin', 'settings.update', { locale: 'xx-XX' }), 'INVALID_INPUT');
  expectError(await t.try('admin', 'settings.update', { locale: 'de' }), 'INVALID_INPUT');
  expectError(await t.try('staff', 'settings.update', { locale: 'fr-FR' }), 'FORBIDDEN');
  assert.equal((await t.as('admin', 'settings.get', {})).locale, 'de-DE');
  const event = (await t.as('admin', 'audit.list', { action: 'settings.updated' })).events[0];
  assert.ok(!JSON.stringify(event.details).includes('de-DE'), 'field names only');
});

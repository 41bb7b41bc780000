/**
 * The grants README "PostgreSQL: database, roles and grants" tells IT to run for the app's login role, as SQL the
 * test runs verbatim (test/unit/postgres.test.ts): everything the app needs, nothing that changes the audit log.
 */
export const APP_ROLE_GRANTS = (database: string, role: string): string[] => [
  `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`,
  `GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role}`,
  `GRANT USAGE ON SCHEMA public TO ${role}`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
  `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  `REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${role}`,
  `REVOKE UPDATE, TRUNCATE ON audit_staged FROM ${role}`,
];

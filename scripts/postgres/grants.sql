-- iTechno Privacy Console: privileges of the everyday role on the office database.
-- Run in the console's database as the owner (console_owner) or a superuser, after the first workstation has
-- created the tables, and again after every upgrade (it is idempotent):
--   psql "host=db.office.example dbname=privacy_console user=console_owner sslmode=verify-full sslrootcert=office-ca.pem" -f grants.sql
-- The workstations connect as console_app: it reads and writes records but cannot change the schema, and it can
-- only append to the audit trail (no UPDATE, DELETE or TRUNCATE on audit_events; a trigger refuses those too).

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO console_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO console_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO console_app;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM console_app;

-- The audit trail is append-only for the app role.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM console_app;

-- Events of reads-only calls wait in audit_staged between a call's commit and their chaining (migration 0021):
-- the app role inserts and deletes them there but cannot alter one while it waits.
REVOKE UPDATE, TRUNCATE ON audit_staged FROM console_app;

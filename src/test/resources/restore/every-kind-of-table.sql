-- A schema with every kind of table and value a restore must bring back exactly. Run on the source and on the
-- target alike; the data comes from every-kind-of-table-rows.sql, on the source only.
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE address AS (street text, zip int);
CREATE TABLE "Awkward Table" (
  id int PRIMARY KEY, t text, "select" int, "with space" text, "quote""d" text, "ünïcödé" text, big numeric,
  bi bigint, f8 float8, ts timestamp, tstz timestamptz, d date, iv interval, rng int4range, tsrng tstzrange,
  b bytea, j json, jb jsonb, arr int[], arr2 text[], comp address, m mood, u uuid, ip inet, nothing text,
  h hstore, cash money, tarr timestamptz[]);
-- Self-referencing: a row may point at a row that comes later in key order.
CREATE TABLE organizations (id bigserial PRIMARY KEY, name text NOT NULL, parent_id bigint REFERENCES organizations);
-- A foreign-key cycle of constraints that cannot be deferred.
CREATE TABLE a_cycle (id int PRIMARY KEY, b_id int);
CREATE TABLE b_cycle (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a_cycle);
ALTER TABLE a_cycle ADD CONSTRAINT a_cycle_b FOREIGN KEY (b_id) REFERENCES b_cycle;
CREATE TABLE measurements (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, celsius numeric,
  fahrenheit numeric GENERATED ALWAYS AS (celsius * 9 / 5 + 32) STORED);
CREATE TABLE no_key (v int, w text);
CREATE SEQUENCE invoice_numbers START 1000;
CREATE TABLE audit_log (id bigserial PRIMARY KEY, entry text);
CREATE TABLE cases (id serial PRIMARY KEY, organization_id bigint REFERENCES organizations, title text,
  updated_at timestamptz);
CREATE FUNCTION audit_case() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO audit_log (entry) VALUES ('case ' || NEW.id || ' written'); RETURN NEW; END $$;
CREATE TRIGGER cases_audit AFTER INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION audit_case();
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;
CREATE TRIGGER cases_touch BEFORE INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE parted (id int, at date, note text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE parted_2025 PARTITION OF parted FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE tenant_secrets (id int PRIMARY KEY, tenant text, secret text);
ALTER TABLE tenant_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY own_tenant ON tenant_secrets USING (tenant = current_user);

-- A multi-tenant schema of the shape public sample schemas have, nobody's fixture: a bigint tenant table, uuid and
-- text keys, foreign keys whose two ends have different types (integer to bigint, varchar to text, numeric(10,2) to
-- numeric, date to timestamp, timestamp to timestamptz, char(8) to char(5)), a composite key mixing them, and, on the
-- foreign-key paths, a column of every type to_json renders. Tenants 1 and 2; rows after the line "-- rows".
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE address AS (street text, zip int);
CREATE DOMAIN positive_money AS numeric(12, 2) CHECK (VALUE >= 0);
CREATE DOMAIN payload AS jsonb;
CREATE DOMAIN note AS json;

CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL, settings jsonb);
-- Shared lookups, reached upward from the tenants' rows; their own columns are of every kind too.
CREATE TABLE labels (name text PRIMARY KEY, tags text[], colours jsonb, meta json);
CREATE TABLE rates (amount numeric PRIMARY KEY, description text);
CREATE TABLE calendar (day timestamp PRIMARY KEY, holiday boolean, span tsrange);
CREATE TABLE regions (code char(5) PRIMARY KEY, bounds int4range[]);
CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants (id),
  label varchar(20) REFERENCES labels (name),
  region char(8) REFERENCES regions (code),
  profile jsonb,
  owners text[]);
CREATE TABLE events (
  at timestamptz,
  kind text,
  tenant_id integer NOT NULL,
  detail jsonb,
  PRIMARY KEY (at, kind));
CREATE TABLE invoices (
  id integer PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  amount numeric(10, 2) REFERENCES rates (amount),
  due date REFERENCES calendar (day),
  lines jsonb);
CREATE TABLE event_notes (
  id serial PRIMARY KEY,
  event_at timestamp NOT NULL,
  event_kind varchar(40) NOT NULL,
  body note,
  FOREIGN KEY (event_at, event_kind) REFERENCES events (at, kind));
CREATE TABLE line_items (
  invoice_id bigint REFERENCES invoices (id),
  position smallint,
  quantity numeric,
  PRIMARY KEY (invoice_id, position));
CREATE TABLE documents (
  id integer PRIMARY KEY,
  invoice_id integer NOT NULL REFERENCES invoices (id),
  j json, jb jsonb, jb_array jsonb, jb_scalar jsonb, j_nested json, pl payload,
  a_text text[], a_int2d int[], a_num numeric[], a_comp address[], a_nulls text[],
  comp address, rng int4range, mrng int4multirange, tsr tstzrange, m mood, pm positive_money, hs hstore,
  tsv tsvector, x xml, cash money, b bytea, big numeric, nan numeric, finf float8, ninf float8, f4 real,
  d date, t time, tz timetz, ts timestamp, tstz timestamptz, iv interval, u uuid, ip inet, net cidr, mac macaddr,
  mac8 macaddr8, bits bit(4), vbits varbit, flag boolean, c char(3), vc varchar(10), empty_text text);

-- rows
INSERT INTO tenants VALUES (1, 'Acme', '{"plan": "pro", "limits": [1, 2]}'), (2, 'Globex', NULL);
INSERT INTO labels VALUES ('vip', '{"gold","a b"}', '{"fg": [1, 2.50], "bg": null}', '{"x":  1}'),
  ('plain', '{}', '[]', 'null'), ('unused', NULL, NULL, NULL);
INSERT INTO rates VALUES (10.5, 'ten and a half'), (20, 'twenty'), (99.99, 'unused');
INSERT INTO calendar VALUES ('2026-01-31 00:00', false, '[2026-01-31 00:00,2026-02-01 00:00)'),
  ('2026-02-28 00:00', true, NULL);
INSERT INTO regions VALUES ('north', '{"[1,5)","[10,20)"}'), ('south', '{}');
INSERT INTO accounts VALUES
  ('6f9619ff-8b86-d011-b42d-00c04fc964ff', 1, 'vip', 'north', '{"name": "Acme main", "n": [1, {"d": null}]}', '{"ann","bob"}'),
  ('7c9e6679-7425-40de-944b-e07fc1f90ae7', 1, 'plain', NULL, '"just a string"', NULL),
  ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 2, 'vip', 'south', '{"name": "Globex"}', '{"carl"}');
INSERT INTO events VALUES ('2026-01-31 10:00:00.5+00', 'opened', 1, '{"by": "ann"}'),
  ('2026-01-31 11:00+00', 'closed', 1, '[true, false]'), ('2026-02-01 09:00+00', 'opened', 2, '{}');
INSERT INTO invoices VALUES (100, 1, '6f9619ff-8b86-d011-b42d-00c04fc964ff', 10.50, '2026-01-31', '[{"sku": "a", "qty": 1.0}]'),
  (101, 1, '7c9e6679-7425-40de-944b-e07fc1f90ae7', 20.00, '2026-02-28', '[]'),
  (200, 2, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 20, NULL, NULL);
INSERT INTO event_notes (event_at, event_kind, body) VALUES ('2026-01-31 10:00:00.5', 'opened', '{"text":  "first"}'),
  ('2026-01-31 11:00', 'closed', '"done"'), ('2026-02-01 09:00', 'opened', '{"text": "globex"}');
INSERT INTO line_items VALUES (100, 1, 2.000), (100, 2, 0.5), (101, 1, 1), (200, 1, 7);
INSERT INTO documents VALUES (
  1, 100, '{"b": 1,  "a": [1, 2.50], "s": "\u00e9\\n"}', '{"b": 1, "a": {"nested": [true, null]}}', '[1, "two", [3]]',
  '42', '{"deep": {"deeper": [{"deepest": null}]}}', '{"p": 1}',
  '{"a","b c","d\"e",NULL}', '{{1,2},{3,4}}', '{1.5,NaN,-0.000001}', ARRAY[ROW('Main St', 1)::address, NULL],
  '{NULL,NULL}', ROW('Side St', NULL), '[1,5)', '{[1,3),[7,9)}', '[2026-01-01 00:00+00,2026-02-01 00:00+00)', 'happy',
  12.34, 'a=>1, "b c"=>NULL', 'fat:2 cat:1', '<a href="x">y</a>', 1234.56, '\x00ff10',
  12345678901234567890.123456789012345678901234567890, 'NaN', 'Infinity', '-Infinity', 3.25,
  '2026-02-16', '20:30:00.123', '20:30:00+02', '2026-02-16 20:30:00', '2026-02-16 20:30:00.123456+02',
  '1 year 2 months 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', '10.0.0.0/8',
  '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', B'1010', B'101', true, 'ab', 'x', ''),
  (3, 200, '{"globex": true}', '{"globex": true}', '[]', '"s"', NULL, NULL, '{"g"}', '{{5}}', '{}', '{}', '{}',
  NULL, 'empty', '{}', NULL, 'sad', 0, '', '', '<g/>', 0, '\x', 0, 0, 0, 0, 0, '2026-01-01', '00:00', '00:00+00',
  '2026-01-01', '2026-01-01 00:00+00', '0', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '::1', '::/0',
  '00:00:00:00:00:00', '00:00:00:00:00:00:00:00', B'0000', B'', false, 'g', 'g', 'g');
-- A row of JSON nulls beside SQL NULLs, in json and jsonb columns and domains over them.
INSERT INTO documents (id, invoice_id, j, jb_scalar, pl) VALUES (2, 101, 'null', 'null', 'null');

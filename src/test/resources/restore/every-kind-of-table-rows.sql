INSERT INTO "Awkward Table" VALUES (
  1, 'column named like the alias', 7, 'a b', 'q"d', 'Grüße, 世界 ☃',
  12345678901234567890.123456789012345678901234567890, 9223372036854775807, 0.1,
  '2026-02-16 20:30:00', '2026-02-16 20:30:00.123456+02', '2026-02-16',
  '1 year 2 months 3 days 04:05:06.789', '[1,5)', '[2026-01-01 00:00+00,2026-02-01 00:00+00)',
  '\x00ff10', '{"b": 1,  "a": [1, 2.50], "esc": "tab\there \u00e9 \\ \"q\""}',
  '{"b": 1, "a": {"nested": [true, null]}}', '{1,2,3}', '{{"a","b"},{"c","d"}}', ROW('Main St', 12345), 'happy',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', NULL, 'a=>1, "b c"=>NULL, "q\"x"=>"y"', 12.34,
  '{2026-01-01 00:00+00,2026-06-01 12:00+02}');
INSERT INTO "Awkward Table" (id, big, f8, h, cash) VALUES (2, 'NaN', 'Infinity', '', -5), (3, -0.000000000000000000001,
  '-Infinity', NULL, NULL);
INSERT INTO organizations (id, name, parent_id) VALUES (5, 'Smith & Partners', NULL), (1, 'Smith Berlin', 5),
  (2, 'Smith Köln', 1);
SELECT setval('organizations_id_seq', 5);
INSERT INTO a_cycle VALUES (1, NULL);
INSERT INTO b_cycle VALUES (1, 1);
UPDATE a_cycle SET b_id = 1;
INSERT INTO measurements (celsius) VALUES (21.5), (-3);
INSERT INTO no_key VALUES (2, 'y'), (1, 'x'), (1, 'x'), (NULL, NULL), (1, 'x');
SELECT nextval('invoice_numbers'), nextval('invoice_numbers'), nextval('invoice_numbers');
INSERT INTO cases (organization_id, title) SELECT 1 + g % 2, 'Case ' || g FROM generate_series(1, 30) g;
ALTER TABLE cases DISABLE TRIGGER cases_touch;
UPDATE cases SET updated_at = timestamptz '2020-01-01 00:00+00' + id * interval '1 hour';
ALTER TABLE cases ENABLE TRIGGER cases_touch;
INSERT INTO parted VALUES (1, '2025-06-01', 'old'), (2, '2026-06-01', 'new'), (3, '2026-07-01', 'newer');
INSERT INTO tenant_secrets VALUES (1, 'tenant-a', 'privileged'), (2, 'tenant-b', 'also privileged');

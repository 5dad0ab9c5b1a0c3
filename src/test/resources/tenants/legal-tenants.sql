-- A multi-tenant legal-practice schema for tenant dumps: a tenant table; tables with the tenant column; two levels of
-- child tables without it; a shared lookup and a shared users table (self-referencing: managers) that other tenants'
-- rows reference too; a self-referencing folder tree; a two-table cycle; a composite foreign key; a foreign key to a
-- unique column; a table without a primary key; a table no foreign key reaches.
CREATE TABLE tenants (id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, manager_id int REFERENCES users);
CREATE TABLE case_types (code text PRIMARY KEY, label text NOT NULL);
CREATE TABLE clients (id int PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants, name text,
  external_ref text UNIQUE);
CREATE TABLE cases (id int PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants, client_id int REFERENCES clients,
  type_code text REFERENCES case_types, created_by int REFERENCES users, title text);
CREATE TABLE documents (id int PRIMARY KEY, case_id int NOT NULL REFERENCES cases, title text);
CREATE TABLE document_versions (id int PRIMARY KEY, document_id int NOT NULL REFERENCES documents,
  author int REFERENCES users, body text);
CREATE TABLE folders (id int PRIMARY KEY, case_id int REFERENCES cases, parent_id int REFERENCES folders, name text);
CREATE TABLE matters (id int PRIMARY KEY, case_id int REFERENCES cases, lead_note_id int);
CREATE TABLE matter_notes (id int PRIMARY KEY, matter_id int REFERENCES matters, body text);
ALTER TABLE matters ADD CONSTRAINT matters_lead_note_id_fkey FOREIGN KEY (lead_note_id) REFERENCES matter_notes
  DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE invoices (tenant_id text NOT NULL REFERENCES tenants, number int, amount numeric(12, 2),
  PRIMARY KEY (tenant_id, number));
CREATE TABLE invoice_lines (id int PRIMARY KEY, invoice_tenant text, invoice_number int, line text,
  FOREIGN KEY (invoice_tenant, invoice_number) REFERENCES invoices (tenant_id, number));
CREATE TABLE client_contacts (id int PRIMARY KEY, client_ref text REFERENCES clients (external_ref), phone text);
CREATE TABLE case_events (case_id int REFERENCES cases, what text);
CREATE TABLE tasks (id int PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants, case_id int REFERENCES cases,
  title text);
CREATE TABLE app_settings (key text PRIMARY KEY, value text);
CREATE TABLE time_entries (id bigserial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants, minutes int);
CREATE INDEX ON clients (tenant_id);
CREATE INDEX ON cases (tenant_id);
CREATE INDEX ON tasks (tenant_id);
CREATE INDEX ON documents (case_id);
CREATE INDEX ON document_versions (document_id);
CREATE INDEX ON folders (case_id);
CREATE INDEX ON folders (parent_id);
CREATE INDEX ON matters (case_id);
CREATE INDEX ON matter_notes (matter_id);
CREATE INDEX ON invoice_lines (invoice_tenant, invoice_number);
CREATE INDEX ON client_contacts (client_ref);
CREATE INDEX ON case_events (case_id);

INSERT INTO tenants VALUES ('acme', 'Acme Law'), ('globex', 'Globex Legal'), ('initech', 'Initech Counsel');
-- Users are shared: 1 manages 2; 5 manages 3; 4 is nobody's.
INSERT INTO users VALUES (1, 'one@example.com', NULL), (5, 'five@example.com', NULL),
  (2, 'two@example.com', 1), (3, 'three@example.com', 5), (4, 'four@example.com', NULL);
INSERT INTO case_types VALUES ('lit', 'Litigation'), ('adv', 'Advisory'), ('ip', 'Patents');
INSERT INTO clients VALUES (10, 'acme', 'Acme client A', 'ACME-A'), (11, 'acme', 'Acme client B', 'ACME-B'),
  (20, 'globex', 'Globex client', 'GLX-A'), (30, 'initech', 'Initech client', 'INI-A');
INSERT INTO cases VALUES (100, 'acme', 10, 'lit', 2, 'Acme v. Roadrunner'), (101, 'acme', 11, NULL, NULL, 'Acme advice'),
  (200, 'globex', 20, 'adv', 3, 'Globex merger'), (300, 'initech', 30, 'ip', 4, 'Initech patent');
INSERT INTO documents VALUES (1000, 100, 'Complaint'), (1001, 101, 'Memo'), (2000, 200, 'Term sheet'),
  (3000, 300, 'Patent draft');
-- User 2 wrote a version of Globex's term sheet too: a shared parent whose other children must not follow it.
INSERT INTO document_versions VALUES (10000, 1000, 2, 'v1'), (10001, 1000, 2, 'v2'), (20000, 2000, 2, 'globex v1'),
  (20001, 2000, 3, 'globex v2'), (30000, 3000, 4, 'initech v1');
INSERT INTO folders VALUES (1, 100, NULL, 'Acme root'), (2, NULL, 1, 'Pleadings'), (3, NULL, 2, 'Drafts'),
  (4, 200, NULL, 'Globex root'), (5, NULL, 4, 'Globex sub'), (6, NULL, 3, 'Acme deepest');
-- A cycle: matter 1 (acme's case) leads with note 11, note 12 belongs to matter 2 (no case), whose lead note is 11.
INSERT INTO matters VALUES (1, 100, NULL), (2, NULL, NULL), (3, 200, NULL);
INSERT INTO matter_notes VALUES (11, 1, 'acme note'), (12, 2, 'note of a matter led by an acme note'),
  (31, 3, 'globex note');
UPDATE matters SET lead_note_id = 11 WHERE id IN (1, 2);
UPDATE matters SET lead_note_id = 31 WHERE id = 3;
INSERT INTO invoices VALUES ('acme', 1, 100.50), ('acme', 2, 200.00), ('globex', 1, 999.99);
INSERT INTO invoice_lines VALUES (1, 'acme', 1, 'hours'), (2, 'acme', 2, 'more hours'), (3, 'globex', 1, 'globex hours');
INSERT INTO client_contacts VALUES (1, 'ACME-A', '+1 555 0100'), (2, 'GLX-A', '+1 555 0200'), (3, NULL, 'nobody');
INSERT INTO case_events VALUES (100, 'filed'), (100, 'filed'), (200, 'signed'), (NULL, 'orphan');
INSERT INTO tasks VALUES (1, 'acme', 100, 'File'), (2, 'acme', NULL, 'Invoice'), (3, 'globex', 200, 'Sign');
INSERT INTO app_settings VALUES ('theme', 'dark');
INSERT INTO time_entries (tenant_id, minutes) VALUES ('acme', 30), ('acme', 45), ('globex', 60), ('acme', 15);

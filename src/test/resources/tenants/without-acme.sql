-- Takes tenant acme's rows out of a database made by legal-tenants.sql, as if acme had never been there: the other
-- tenants' rows and the shared rows stay. In replica mode, so the order of the foreign keys does not matter.
SET session_replication_role = replica;
DELETE FROM case_events WHERE case_id IN (100, 101);
DELETE FROM client_contacts WHERE client_ref LIKE 'ACME-%';
DELETE FROM document_versions WHERE document_id IN (1000, 1001);
DELETE FROM documents WHERE case_id IN (100, 101);
DELETE FROM folders WHERE id IN (1, 2, 3, 6);
DELETE FROM matter_notes WHERE id IN (11, 12);
DELETE FROM matters WHERE id IN (1, 2);
DELETE FROM invoice_lines WHERE invoice_tenant = 'acme';
DELETE FROM invoices WHERE tenant_id = 'acme';
DELETE FROM tasks WHERE tenant_id = 'acme';
DELETE FROM time_entries WHERE tenant_id = 'acme';
DELETE FROM cases WHERE tenant_id = 'acme';
DELETE FROM clients WHERE tenant_id = 'acme';
DELETE FROM tenants WHERE id = 'acme';
SET session_replication_role = origin;

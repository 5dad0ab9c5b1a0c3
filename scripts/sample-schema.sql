-- A small multi-tenant legal-practice schema for the quick start: each organization (a law firm) is a tenant, its
-- rows side by side with the others'; staff are shared (a lawyer may work for several firms); an auth schema that a
-- dump of "public" must never touch. Tenant dumps: dump.tenant.column=organization_id, dump.tenant.table=organizations.
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text, encrypted_password text);
CREATE TABLE IF NOT EXISTS public.organizations (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());
CREATE TABLE IF NOT EXISTS public.staff (id bigserial PRIMARY KEY, email text NOT NULL);
CREATE TABLE IF NOT EXISTS public.clients (id bigserial PRIMARY KEY, organization_id bigint REFERENCES public.organizations,
  full_name text, tags text[], retainer numeric(14, 2));
CREATE TABLE IF NOT EXISTS public.cases (id bigserial PRIMARY KEY, client_id bigint REFERENCES public.clients, title text,
  details jsonb, opened_on date, lead_lawyer bigint REFERENCES public.staff);
CREATE TABLE IF NOT EXISTS public.case_notes (id bigserial PRIMARY KEY, case_id bigint NOT NULL REFERENCES public.cases,
  body text);
CREATE TABLE IF NOT EXISTS public.audit_log (id bigserial PRIMARY KEY, organization_id bigint REFERENCES public.organizations,
  at timestamptz DEFAULT now(), actor inet, action text, payload jsonb);
CREATE INDEX IF NOT EXISTS clients_organization_id_idx ON public.clients (organization_id);
CREATE INDEX IF NOT EXISTS cases_client_id_idx ON public.cases (client_id);
CREATE INDEX IF NOT EXISTS case_notes_case_id_idx ON public.case_notes (case_id);
CREATE INDEX IF NOT EXISTS audit_log_organization_id_idx ON public.audit_log (organization_id);

INSERT INTO auth.users (email, encrypted_password)
  SELECT 'user' || g || '@example.com', 'never-exported' FROM generate_series(1, 3) g
  WHERE NOT EXISTS (SELECT 1 FROM auth.users);
INSERT INTO public.organizations (name)
  SELECT n FROM unnest(ARRAY['Smith & Partners', 'Müller Rechtsanwälte']) n WHERE NOT EXISTS (SELECT 1 FROM public.organizations);
INSERT INTO public.staff (email)
  SELECT 'lawyer' || g || '@example.com' FROM generate_series(1, 4) g WHERE NOT EXISTS (SELECT 1 FROM public.staff);
INSERT INTO public.clients (organization_id, full_name, tags, retainer)
  SELECT 1 + g % 2, 'Client ' || g, ARRAY['priority', 'tenant-' || (1 + g % 2)], 1000.25 * g FROM generate_series(1, 20) g
  WHERE NOT EXISTS (SELECT 1 FROM public.clients);
-- Lawyer 1 leads cases of both firms: a shared row whose other firm's cases must never follow it into a tenant dump.
INSERT INTO public.cases (client_id, title, details, opened_on, lead_lawyer)
  SELECT 1 + g % 20, 'Case ' || g, jsonb_build_object('court', 'District ' || g % 3, 'hours', g * 1.5), date '2026-01-01' + g,
         1 + g % 3
  FROM generate_series(1, 50) g WHERE NOT EXISTS (SELECT 1 FROM public.cases);
INSERT INTO public.case_notes (case_id, body)
  SELECT 1 + g % 50, 'Privileged note ' || g FROM generate_series(1, 100) g WHERE NOT EXISTS (SELECT 1 FROM public.case_notes);
INSERT INTO public.audit_log (organization_id, actor, action, payload)
  SELECT 1 + g % 2, ('10.0.0.' || (g % 250))::inet, 'update', jsonb_build_object('case', 1 + g % 50)
  FROM generate_series(1, 1200) g WHERE NOT EXISTS (SELECT 1 FROM public.audit_log);

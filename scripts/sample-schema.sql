-- A small legal-practice schema for the quick start: tenants' data side by side, and an auth schema that a dump
-- of "public" must never touch.
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text, encrypted_password text);
CREATE TABLE IF NOT EXISTS public.organizations (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());
CREATE TABLE IF NOT EXISTS public.clients (id bigserial PRIMARY KEY, organization_id bigint REFERENCES public.organizations,
  full_name text, tags text[], retainer numeric(14, 2));
CREATE TABLE IF NOT EXISTS public.cases (id bigserial PRIMARY KEY, client_id bigint REFERENCES public.clients, title text,
  details jsonb, opened_on date);
CREATE TABLE IF NOT EXISTS public.audit_log (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), actor inet, action text, payload jsonb);

INSERT INTO auth.users (email, encrypted_password)
  SELECT 'user' || g || '@example.com', 'never-exported' FROM generate_series(1, 3) g
  WHERE NOT EXISTS (SELECT 1 FROM auth.users);
INSERT INTO public.organizations (name)
  SELECT n FROM unnest(ARRAY['Smith & Partners', 'Müller Rechtsanwälte']) n WHERE NOT EXISTS (SELECT 1 FROM public.organizations);
INSERT INTO public.clients (organization_id, full_name, tags, retainer)
  SELECT 1 + g % 2, 'Client ' || g, ARRAY['priority', 'tenant-' || (1 + g % 2)], 1000.25 * g FROM generate_series(1, 20) g
  WHERE NOT EXISTS (SELECT 1 FROM public.clients);
INSERT INTO public.cases (client_id, title, details, opened_on)
  SELECT 1 + g % 20, 'Case ' || g, jsonb_build_object('court', 'District ' || g % 3, 'hours', g * 1.5), date '2026-01-01' + g
  FROM generate_series(1, 50) g WHERE NOT EXISTS (SELECT 1 FROM public.cases);
INSERT INTO public.audit_log (actor, action, payload)
  SELECT ('10.0.0.' || (g % 250))::inet, 'update', jsonb_build_object('case', 1 + g % 50) FROM generate_series(1, 1200) g
  WHERE NOT EXISTS (SELECT 1 FROM public.audit_log);

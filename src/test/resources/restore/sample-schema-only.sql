-- scripts/sample-schema.sql without its rows: the target of a restore.
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text, encrypted_password text);
CREATE TABLE IF NOT EXISTS public.organizations (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());
CREATE TABLE IF NOT EXISTS public.clients (id bigserial PRIMARY KEY, organization_id bigint REFERENCES public.organizations,
  full_name text, tags text[], retainer numeric(14, 2));
CREATE TABLE IF NOT EXISTS public.cases (id bigserial PRIMARY KEY, client_id bigint REFERENCES public.clients, title text,
  details jsonb, opened_on date);
CREATE TABLE IF NOT EXISTS public.audit_log (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), actor inet, action text, payload jsonb);

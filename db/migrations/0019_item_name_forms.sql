-- A stock question by a whole name or alias (the commonest kind) answered from an index (issue 12):
-- the folded forms (search_form, migration 0003) of an item's name and of each alias, as an array a
-- GIN index keeps. `item_name_forms(name, aliases) @> array[search_form(query)]` finds the items named
-- so without scoring the thousands that share a brand's trigrams (src/chat/conversations/find-item.ts).
-- search_form is named with its schema: Postgres 17 (PGlite) builds an index with the search_path
-- set to pg_catalog only. COST says what a call costs (search_form's regular expressions, ~90 µs a
-- row): without it, a table not yet analysed is read through the organisation index calling this
-- on every item (9 s at 100k items).
CREATE FUNCTION item_name_forms(name text, aliases text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 5000 AS $$
  SELECT array_remove(public.search_form(name) || coalesce((SELECT array_agg(public.search_form(a)) FROM unnest(aliases) AS a), '{}'::text[]), '')
$$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "items_name_forms_idx" ON "items" USING gin (item_name_forms("name", "aliases"));

-- Item search at 100,000 items (issue 12): every kind of chat question answered from an index
-- (src/master/match-items.ts, `candidates`). The fuzzy score is word_similarity(query, search_text):
-- `query <% search_text` finds the items above pg_trgm.word_similarity_threshold through this index.
CREATE INDEX IF NOT EXISTS "items_search_text_trgm_idx" ON "items" USING gin ("search_text" gin_trgm_ops);
--> statement-breakpoint
-- A literal part of the sku, the name or an alias, as typed (`ilike '%…%'`): one text to index for all three.
CREATE FUNCTION item_literal_text(sku text, name text, aliases text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT concat_ws(' ', sku, name, array_to_string(aliases, ' '))
$$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "items_literal_trgm_idx" ON "items" USING gin (item_literal_text("sku", "name", "aliases") gin_trgm_ops);

-- Fuzzy item search (issue 5): pg_trgm, and the one definition of the text it compares, used both
-- for items.search_text (a generated column, next migration) and for the query typed in chat.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- NFKC (full-width to ASCII), lower case, split into runs of CJK, of digits and of other letters;
-- punctuation goes. pg_trgm pads each word, so a CJK name of one unbroken run would only match
-- whole; each CJK run becomes its overlapping character pairs ("牛肉面" → "牛肉 肉面"), so a part of
-- a name matches fully and one wrong character still leaves most pairs. Character ranges are
-- spelled out so the result never depends on the database's locale.
CREATE FUNCTION search_form(input text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(
    CASE WHEN t.m[1] ~ '^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]{2}'
      THEN (SELECT string_agg(substr(t.m[1], i, 2), ' ' ORDER BY i) FROM generate_series(1, length(t.m[1]) - 1) AS i)
      ELSE t.m[1] END, ' ' ORDER BY t.n), '')
  FROM regexp_matches(lower(normalize(input, NFKC)),
    '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[0-9]+|[^\u0001-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f\uff00-\uffef\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+',
    'g') WITH ORDINALITY AS t(m, n)
$$;
--> statement-breakpoint
-- What an item is found by: sku, name and aliases (barcodes are matched exactly, never fuzzily).
CREATE FUNCTION item_search_text(sku text, name text, aliases text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT search_form(concat_ws(' ', sku, name, array_to_string(aliases, ' ')))
$$;

-- A vague question (可乐, 红牛 — a brand or a kind that thousands of items share at 100,000 items)
-- answered without scoring them all (issue 12): the words of search_text (a Chinese name's character
-- pairs, digits, other letters) as an array a GIN index keeps. An item holding every word of the
-- folded query has a word similarity of 1, so the first few by sku are the answer's first rows
-- (src/chat/conversations/find-item.ts, `perfectRows`).
CREATE INDEX IF NOT EXISTS "items_search_words_idx" ON "items" USING gin (string_to_array("search_text", ' '));

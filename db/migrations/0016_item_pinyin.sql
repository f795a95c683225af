ALTER TABLE "items" ADD COLUMN "pinyin" text;--> statement-breakpoint
CREATE INDEX "items_pinyin_trgm_idx" ON "items" USING gin ("pinyin" gin_trgm_ops);
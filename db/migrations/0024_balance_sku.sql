ALTER TABLE "stock_balances" ADD COLUMN "sku" text;--> statement-breakpoint
UPDATE "stock_balances" b SET "sku" = i."sku" FROM "items" i WHERE i."id" = b."item_id";--> statement-breakpoint
-- Postings pass the sku; any other writer (a test, a repair script) gets it filled from the item.
CREATE FUNCTION "stock_balances_fill_sku"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.sku IS NULL THEN
    SELECT sku INTO NEW.sku FROM items WHERE id = NEW.item_id;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "stock_balances_sku" BEFORE INSERT ON "stock_balances"
  FOR EACH ROW EXECUTE FUNCTION "stock_balances_fill_sku"();--> statement-breakpoint
CREATE INDEX "stock_balances_warehouse_sku_idx" ON "stock_balances" USING btree ("org_id","warehouse_id","sku","lot");

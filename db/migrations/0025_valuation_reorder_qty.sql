ALTER TABLE "valuations" ADD COLUMN "reorder_qty" numeric(18, 3);--> statement-breakpoint
UPDATE "valuations" v SET "reorder_qty" = r."reorder_qty" FROM "reorder_rules" r
  WHERE r."org_id" = v."org_id" AND r."item_id" = v."item_id" AND r."warehouse_id" = v."warehouse_id" AND r."reorder_qty" IS NOT NULL;
--> statement-breakpoint
-- The rule's reorder quantity follows its minimum onto the valuation row (migration 0023's trigger):
-- a low-stock pass that opens thousands of alerts then reads no rule at all.
CREATE OR REPLACE FUNCTION "valuations_follow_reorder_rule"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.org_id, OLD.item_id, OLD.warehouse_id) IS DISTINCT FROM (NEW.org_id, NEW.item_id, NEW.warehouse_id)) THEN
    UPDATE valuations SET min_qty = NULL, reorder_qty = NULL
      WHERE org_id = OLD.org_id AND item_id = OLD.item_id AND warehouse_id = OLD.warehouse_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO valuations (org_id, item_id, warehouse_id, min_qty, reorder_qty)
      VALUES (NEW.org_id, NEW.item_id, NEW.warehouse_id, NEW.min_qty, NEW.reorder_qty)
      ON CONFLICT (org_id, item_id, warehouse_id) DO UPDATE SET min_qty = EXCLUDED.min_qty, reorder_qty = EXCLUDED.reorder_qty
      WHERE (valuations.min_qty, valuations.reorder_qty) IS DISTINCT FROM (EXCLUDED.min_qty, EXCLUDED.reorder_qty);
  END IF;
  RETURN NULL;
END $$;

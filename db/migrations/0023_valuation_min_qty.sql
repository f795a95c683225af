ALTER TABLE "valuations" ADD COLUMN "min_qty" numeric(18, 3);--> statement-breakpoint
-- Every rule's minimum copied onto its valuation row; a rule on an item never stocked here gets a row at 0.
INSERT INTO "valuations" ("org_id", "item_id", "warehouse_id", "min_qty")
  SELECT "org_id", "item_id", "warehouse_id", "min_qty" FROM "reorder_rules"
  ON CONFLICT ("org_id", "item_id", "warehouse_id") DO UPDATE SET "min_qty" = EXCLUDED."min_qty";
--> statement-breakpoint
-- Whoever writes a rule (the API, an import, the demo, plain SQL), its valuation row follows.
CREATE FUNCTION "valuations_follow_reorder_rule"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.org_id, OLD.item_id, OLD.warehouse_id) IS DISTINCT FROM (NEW.org_id, NEW.item_id, NEW.warehouse_id)) THEN
    UPDATE valuations SET min_qty = NULL
      WHERE org_id = OLD.org_id AND item_id = OLD.item_id AND warehouse_id = OLD.warehouse_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO valuations (org_id, item_id, warehouse_id, min_qty) VALUES (NEW.org_id, NEW.item_id, NEW.warehouse_id, NEW.min_qty)
      ON CONFLICT (org_id, item_id, warehouse_id) DO UPDATE SET min_qty = EXCLUDED.min_qty
      WHERE valuations.min_qty IS DISTINCT FROM EXCLUDED.min_qty;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "reorder_rules_to_valuations" AFTER INSERT OR UPDATE OR DELETE ON "reorder_rules"
  FOR EACH ROW EXECUTE FUNCTION "valuations_follow_reorder_rule"();

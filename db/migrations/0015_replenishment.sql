CREATE TABLE "demand_history" (
	"org_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"day" date NOT NULL,
	"qty" numeric(18, 3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demand_history_org_id_item_id_warehouse_id_day_pk" PRIMARY KEY("org_id","item_id","warehouse_id","day")
);
--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "supplier" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "lead_time_days" integer;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "min_order_qty" numeric(18, 3);--> statement-breakpoint
ALTER TABLE "reorder_rules" ADD COLUMN "safety_stock" numeric(18, 3);--> statement-breakpoint
ALTER TABLE "reorder_rules" ADD COLUMN "lead_time_days" integer;--> statement-breakpoint
ALTER TABLE "reorder_rules" ADD COLUMN "cover_days" integer;--> statement-breakpoint
ALTER TABLE "reorder_rules" ADD COLUMN "source_warehouse_id" uuid;--> statement-breakpoint
ALTER TABLE "demand_history" ADD CONSTRAINT "demand_history_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_history" ADD CONSTRAINT "demand_history_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_history" ADD CONSTRAINT "demand_history_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorder_rules" ADD CONSTRAINT "reorder_rules_source_warehouse_id_warehouses_id_fk" FOREIGN KEY ("source_warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;
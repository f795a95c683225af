CREATE TABLE "completion_materials" (
	"org_id" uuid NOT NULL,
	"completion_id" uuid NOT NULL,
	"ledger_line" integer NOT NULL,
	"item_id" uuid NOT NULL,
	"qty" numeric(18, 3) NOT NULL,
	"value" numeric(18, 2) NOT NULL,
	"cost_pieces" jsonb NOT NULL,
	CONSTRAINT "completion_materials_completion_id_ledger_line_pk" PRIMARY KEY("completion_id","ledger_line")
);
--> statement-breakpoint
CREATE TABLE "production_completions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"qty" numeric(18, 3) NOT NULL,
	"material_cost" numeric(18, 2) NOT NULL,
	"labor_cost" numeric(18, 2) NOT NULL,
	"machine_cost" numeric(18, 2) NOT NULL,
	"labor_hours" numeric(14, 3) NOT NULL,
	"machine_hours" numeric(14, 3) NOT NULL,
	"value" numeric(18, 2) NOT NULL,
	"unit_cost" numeric(20, 6) NOT NULL,
	"final" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reversal_id" uuid
);
--> statement-breakpoint
CREATE TABLE "production_materials" (
	"org_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"item_id" uuid NOT NULL,
	"qty" numeric(20, 6) NOT NULL,
	CONSTRAINT "production_materials_document_id_line_no_pk" PRIMARY KEY("document_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "production_orders" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"bom_id" uuid,
	"bom_pinned" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"operation" text NOT NULL,
	"work_center_id" uuid NOT NULL,
	"labor_hours" numeric(14, 3) DEFAULT '0' NOT NULL,
	"machine_hours" numeric(14, 3) DEFAULT '0' NOT NULL,
	"good_qty" numeric(18, 3) DEFAULT '0' NOT NULL,
	"scrap_qty" numeric(18, 3) DEFAULT '0' NOT NULL,
	"labor_rate" numeric(18, 4) NOT NULL,
	"machine_rate" numeric(18, 4) NOT NULL,
	"labor_cost" numeric(18, 2) NOT NULL,
	"machine_cost" numeric(18, 2) NOT NULL,
	"cost" numeric(18, 2) NOT NULL,
	"completion_id" uuid,
	"reported_by_user_id" uuid,
	"reported_via" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cost_allocations" (
	"org_id" uuid NOT NULL,
	"close_id" uuid NOT NULL,
	"pool" text NOT NULL,
	"position" integer NOT NULL,
	"document_id" uuid NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	CONSTRAINT "cost_allocations_close_id_position_document_id_pk" PRIMARY KEY("close_id","position","document_id")
);
--> statement-breakpoint
CREATE TABLE "cost_closes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"closed_by_user_id" uuid,
	"closed_at" timestamp with time zone NOT NULL,
	"reopened_by_user_id" uuid,
	"reopened_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cost_pools" (
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"driver" text NOT NULL,
	"formula" text,
	CONSTRAINT "cost_pools_org_id_period_position_pk" PRIMARY KEY("org_id","period","position")
);
--> statement-breakpoint
CREATE TABLE "cost_settlements" (
	"org_id" uuid NOT NULL,
	"close_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"qty" numeric(18, 3) NOT NULL,
	"runs" integer NOT NULL,
	"material_cost" numeric(18, 2) NOT NULL,
	"labor_cost" numeric(18, 2) NOT NULL,
	"machine_cost" numeric(18, 2) NOT NULL,
	"direct" numeric(18, 2) NOT NULL,
	"inherited" numeric(18, 2) NOT NULL,
	"passed_on" numeric(18, 2) NOT NULL,
	"stock_value" numeric(18, 2) NOT NULL,
	"variance" numeric(18, 2) NOT NULL,
	"revaluation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_settlements_close_id_document_id_pk" PRIMARY KEY("close_id","document_id")
);
--> statement-breakpoint
ALTER TABLE "completion_materials" ADD CONSTRAINT "completion_materials_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completion_materials" ADD CONSTRAINT "completion_materials_completion_id_production_completions_id_fk" FOREIGN KEY ("completion_id") REFERENCES "public"."production_completions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completion_materials" ADD CONSTRAINT "completion_materials_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_completions" ADD CONSTRAINT "production_completions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_completions" ADD CONSTRAINT "production_completions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_materials" ADD CONSTRAINT "production_materials_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_materials" ADD CONSTRAINT "production_materials_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_materials" ADD CONSTRAINT "production_materials_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_bom_id_boms_id_fk" FOREIGN KEY ("bom_id") REFERENCES "public"."boms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_reports" ADD CONSTRAINT "work_reports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_reports" ADD CONSTRAINT "work_reports_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_reports" ADD CONSTRAINT "work_reports_work_center_id_work_centers_id_fk" FOREIGN KEY ("work_center_id") REFERENCES "public"."work_centers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_allocations" ADD CONSTRAINT "cost_allocations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_allocations" ADD CONSTRAINT "cost_allocations_close_id_cost_closes_id_fk" FOREIGN KEY ("close_id") REFERENCES "public"."cost_closes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_allocations" ADD CONSTRAINT "cost_allocations_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_closes" ADD CONSTRAINT "cost_closes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_pools" ADD CONSTRAINT "cost_pools_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_settlements" ADD CONSTRAINT "cost_settlements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_settlements" ADD CONSTRAINT "cost_settlements_close_id_cost_closes_id_fk" FOREIGN KEY ("close_id") REFERENCES "public"."cost_closes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_settlements" ADD CONSTRAINT "cost_settlements_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_settlements" ADD CONSTRAINT "cost_settlements_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "production_completions_seq_uq" ON "production_completions" USING btree ("document_id","seq");--> statement-breakpoint
CREATE INDEX "production_completions_org_at_idx" ON "production_completions" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "work_reports_document_idx" ON "work_reports" USING btree ("org_id","document_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cost_closes_one_open_uq" ON "cost_closes" USING btree ("org_id","period") WHERE "cost_closes"."reopened_at" is null;--> statement-breakpoint
CREATE INDEX "cost_settlements_org_item_idx" ON "cost_settlements" USING btree ("org_id","item_id");
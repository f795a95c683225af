CREATE TABLE "bom_lines" (
	"org_id" uuid NOT NULL,
	"bom_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"item_id" uuid NOT NULL,
	"qty" numeric(20, 6) NOT NULL,
	"scrap_pct" numeric(7, 3) DEFAULT '0' NOT NULL,
	CONSTRAINT "bom_lines_bom_id_line_no_pk" PRIMARY KEY("bom_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "bom_operations" (
	"org_id" uuid NOT NULL,
	"bom_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"name" text NOT NULL,
	"work_center_id" uuid NOT NULL,
	"minutes_per_unit" numeric(14, 4) DEFAULT '0' NOT NULL,
	CONSTRAINT "bom_operations_bom_id_seq_pk" PRIMARY KEY("bom_id","seq")
);
--> statement-breakpoint
CREATE TABLE "boms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"output_qty" numeric(18, 3) NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "boms_org_item_version_uq" UNIQUE("org_id","item_id","version")
);
--> statement-breakpoint
CREATE TABLE "work_centers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"labor_rate" numeric(18, 4) NOT NULL,
	"machine_rate" numeric(18, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_centers_org_code_uq" UNIQUE("org_id","code")
);
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "order_of_id" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "due_on" date;--> statement-breakpoint
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_bom_id_boms_id_fk" FOREIGN KEY ("bom_id") REFERENCES "public"."boms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_operations" ADD CONSTRAINT "bom_operations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_operations" ADD CONSTRAINT "bom_operations_bom_id_boms_id_fk" FOREIGN KEY ("bom_id") REFERENCES "public"."boms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_operations" ADD CONSTRAINT "bom_operations_work_center_id_work_centers_id_fk" FOREIGN KEY ("work_center_id") REFERENCES "public"."work_centers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boms" ADD CONSTRAINT "boms_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boms" ADD CONSTRAINT "boms_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_centers" ADD CONSTRAINT "work_centers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bom_lines_item_idx" ON "bom_lines" USING btree ("org_id","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "boms_one_active_uq" ON "boms" USING btree ("org_id","item_id") WHERE "boms"."active";--> statement-breakpoint
CREATE INDEX "documents_order_of_idx" ON "documents" USING btree ("org_id","order_of_id") WHERE "documents"."order_of_id" is not null;
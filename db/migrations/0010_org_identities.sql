CREATE TABLE "chat_apps" (
	"platform" text NOT NULL,
	"app" text NOT NULL,
	"org_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_apps_platform_app_pk" PRIMARY KEY("platform","app")
);
--> statement-breakpoint
ALTER TABLE "chat_apps" ADD CONSTRAINT "chat_apps_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_identities" ADD COLUMN "app" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_identities" DROP CONSTRAINT "chat_identities_platform_external_uq";--> statement-breakpoint
ALTER TABLE "chat_identities" DROP CONSTRAINT "chat_identities_org_id_platform_external_id_pk";--> statement-breakpoint
ALTER TABLE "chat_identities" ADD CONSTRAINT "chat_identities_org_id_platform_app_external_id_pk" PRIMARY KEY("org_id","platform","app","external_id");--> statement-breakpoint
CREATE INDEX "chat_identities_external_idx" ON "chat_identities" USING btree ("platform","app","external_id");--> statement-breakpoint
-- Identities were unique across organisations until now: where every WeCom (or Lark) identity belongs
-- to one organisation, that organisation was the one the app served, and it keeps serving it.
INSERT INTO "chat_apps" ("platform", "app", "org_id")
SELECT "platform", 'default', (array_agg("org_id"))[1] FROM "chat_identities"
WHERE "platform" <> 'sandbox' GROUP BY "platform" HAVING count(DISTINCT "org_id") = 1;

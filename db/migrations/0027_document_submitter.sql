ALTER TABLE "documents" ADD COLUMN "submitted_by_user_id" uuid;--> statement-breakpoint
-- Documents submitted before the column existed: the person of their latest submission, from the audit trail.
UPDATE "documents" d SET "submitted_by_user_id" = s."user_id"
  FROM (SELECT DISTINCT ON ("org_id", "entity_id") "org_id", "entity_id", "user_id" FROM "audit_log"
        WHERE "entity" = 'document' AND "action" = 'submit' ORDER BY "org_id", "entity_id", "created_at" DESC) s
  WHERE s."org_id" = d."org_id" AND s."entity_id" = d."id"::text AND d."submitted_at" IS NOT NULL;

-- Messages answered through the outbox (Lark, the WeCom app) are acknowledged once recorded and
-- handled just after (issue 12: at 200 a second the webhook queued behind its own answers). A pending
-- event keeps the platform-neutral event it will be handled from, its chat (one chat's events are
-- handled one at a time, in `seq` order) and its retries; rows from before, and clicks, are `handled`.
ALTER TABLE "inbound_events" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "inbound_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "status" text DEFAULT 'handled' NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "event" jsonb;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "chat_id" text;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "handled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "inbound_events_pending_idx" ON "inbound_events" USING btree ("seq") WHERE "inbound_events"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "inbound_events_pending_chat_idx" ON "inbound_events" USING btree ("platform","app","chat_id","seq") WHERE "inbound_events"."status" = 'pending';
ALTER TABLE "notifications" ADD COLUMN "receipt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "receipt_checked_at" timestamp with time zone;
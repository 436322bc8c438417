ALTER TABLE "installation" ADD COLUMN "public_origin" text;--> statement-breakpoint
ALTER TABLE "installation" ADD COLUMN "public_origin_set_by_id" uuid;--> statement-breakpoint
ALTER TABLE "installation" ADD COLUMN "public_origin_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "installation" ADD CONSTRAINT "installation_public_origin_set_by_id_users_id_fk" FOREIGN KEY ("public_origin_set_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
CREATE TABLE "notice_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"case_party_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"sha256" text NOT NULL,
	"session_choice" text NOT NULL,
	"via" text NOT NULL,
	"recorded_by_id" uuid,
	"signature" "bytea",
	"ip" text,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_acknowledgements_choice" CHECK ("notice_acknowledgements"."session_choice" in ('public', 'closed')),
	CONSTRAINT "notice_acknowledgements_via" CHECK ("notice_acknowledgements"."via" in ('account', 'invitation', 'on_site')),
	CONSTRAINT "notice_acknowledgements_on_site_signed" CHECK (("notice_acknowledgements"."via" = 'on_site') = ("notice_acknowledgements"."signature" is not null))
);
--> statement-breakpoint
CREATE TABLE "notice_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"committee_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"body_zh" text NOT NULL,
	"body_en" text NOT NULL,
	"sha256" text NOT NULL,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notice_acknowledgements" ADD CONSTRAINT "notice_acknowledgements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_acknowledgements" ADD CONSTRAINT "notice_acknowledgements_case_party_id_case_parties_id_fk" FOREIGN KEY ("case_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_acknowledgements" ADD CONSTRAINT "notice_acknowledgements_committee_id_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_acknowledgements" ADD CONSTRAINT "notice_acknowledgements_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_versions" ADD CONSTRAINT "notice_versions_committee_id_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_versions" ADD CONSTRAINT "notice_versions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notice_acknowledgements_party_idx" ON "notice_acknowledgements" USING btree ("case_party_id","acknowledged_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notice_versions_committee_version_idx" ON "notice_versions" USING btree ("committee_id","version");
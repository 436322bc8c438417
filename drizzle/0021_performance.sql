CREATE TYPE "public"."performance_item_kind" AS ENUM('payment', 'act');--> statement-breakpoint
CREATE TYPE "public"."performance_state" AS ENUM('planned', 'reported', 'confirmed', 'waived');--> statement-breakpoint
ALTER TYPE "public"."warning_rule" ADD VALUE 'performance_overdue';--> statement-breakpoint
CREATE TABLE "performance_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "performance_item_kind" NOT NULL,
	"description" text NOT NULL,
	"amount_cents" bigint,
	"due_on" date NOT NULL,
	"place" text NOT NULL,
	"responsible_party_id" uuid NOT NULL,
	"state" "performance_state" DEFAULT 'planned' NOT NULL,
	"report_note" text,
	"reported_at" timestamp with time zone,
	"reported_by_party_id" uuid,
	"reason" text,
	"settled_at" timestamp with time zone,
	"settled_by_id" uuid,
	"due_soon_announced_for" date,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "performance_items_amount" CHECK (("performance_items"."kind" = 'payment') = ("performance_items"."amount_cents" is not null) and coalesce("performance_items"."amount_cents", 1) > 0)
);
--> statement-breakpoint
CREATE TABLE "performance_plans" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"sealed_agreement_id" uuid,
	"oral_agreement_id" uuid,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"performed_at" timestamp with time zone,
	CONSTRAINT "performance_plans_one_agreement" CHECK (("performance_plans"."sealed_agreement_id" is null) <> ("performance_plans"."oral_agreement_id" is null))
);
--> statement-breakpoint
CREATE TABLE "performance_proofs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"uploaded_by_id" uuid,
	"uploaded_by_party_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "performance_proofs_uploader" CHECK (("performance_proofs"."uploaded_by_id" is null) <> ("performance_proofs"."uploaded_by_party_id" is null))
);
--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_case_id_performance_plans_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."performance_plans"("case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_responsible_party_id_case_parties_id_fk" FOREIGN KEY ("responsible_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_reported_by_party_id_case_parties_id_fk" FOREIGN KEY ("reported_by_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_settled_by_id_users_id_fk" FOREIGN KEY ("settled_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_plans" ADD CONSTRAINT "performance_plans_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_plans" ADD CONSTRAINT "performance_plans_sealed_agreement_id_sealed_agreements_id_fk" FOREIGN KEY ("sealed_agreement_id") REFERENCES "public"."sealed_agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_plans" ADD CONSTRAINT "performance_plans_oral_agreement_id_oral_agreements_id_fk" FOREIGN KEY ("oral_agreement_id") REFERENCES "public"."oral_agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_plans" ADD CONSTRAINT "performance_plans_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_proofs" ADD CONSTRAINT "performance_proofs_item_id_performance_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."performance_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_proofs" ADD CONSTRAINT "performance_proofs_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_proofs" ADD CONSTRAINT "performance_proofs_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_proofs" ADD CONSTRAINT "performance_proofs_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_proofs" ADD CONSTRAINT "performance_proofs_uploaded_by_party_id_case_parties_id_fk" FOREIGN KEY ("uploaded_by_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "performance_items_case_position_idx" ON "performance_items" USING btree ("case_id","position");--> statement-breakpoint
CREATE INDEX "performance_items_owed_due_idx" ON "performance_items" USING btree ("due_on") WHERE "performance_items"."state" in ('planned', 'reported');--> statement-breakpoint
CREATE INDEX "performance_plans_performed_idx" ON "performance_plans" USING btree ("performed_at");--> statement-breakpoint
CREATE INDEX "performance_proofs_item_idx" ON "performance_proofs" USING btree ("item_id");
CREATE TYPE "public"."acceptance_source" AS ENUM('party_application', 'committee_initiative', 'police_referral', 'court_referral', 'government_assignment', 'grid_report');--> statement-breakpoint
ALTER TYPE "public"."case_outcome" ADD VALUE 'resolved_orally' BEFORE 'failed';--> statement-breakpoint
CREATE TABLE "oral_agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"party_ids" uuid[] NOT NULL,
	"matter" text NOT NULL,
	"terms" text NOT NULL,
	"performance" text NOT NULL,
	"reached_on" date NOT NULL,
	"mediator_id" uuid NOT NULL,
	"signature" "bytea" NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "acceptance_source" "acceptance_source";--> statement-breakpoint
ALTER TABLE "oral_agreements" ADD CONSTRAINT "oral_agreements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oral_agreements" ADD CONSTRAINT "oral_agreements_document_id_sealed_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."sealed_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oral_agreements" ADD CONSTRAINT "oral_agreements_mediator_id_users_id_fk" FOREIGN KEY ("mediator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oral_agreements_case_idx" ON "oral_agreements" USING btree ("case_id");
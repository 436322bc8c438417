CREATE TYPE "public"."draft_kind" AS ENUM('agreement', 'mediation_record');--> statement-breakpoint
ALTER TABLE "agreement_drafts" DROP CONSTRAINT "agreement_drafts_case_id_unique";--> statement-breakpoint
ALTER TABLE "agreement_signatures" DROP CONSTRAINT "agreement_signatures_role";--> statement-breakpoint
ALTER TABLE "agreement_drafts" ADD COLUMN "kind" "draft_kind" DEFAULT 'agreement' NOT NULL;--> statement-breakpoint
ALTER TABLE "agreement_drafts" ADD COLUMN "session_id" uuid;--> statement-breakpoint
ALTER TABLE "agreement_drafts" ADD COLUMN "record_outcome" jsonb;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD COLUMN "record_outcome" jsonb;--> statement-breakpoint
ALTER TABLE "sealed_documents" ADD COLUMN "version_id" uuid;--> statement-breakpoint
ALTER TABLE "agreement_drafts" ADD CONSTRAINT "agreement_drafts_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sealed_documents" ADD CONSTRAINT "sealed_documents_version_id_draft_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."draft_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_drafts_case_agreement_idx" ON "agreement_drafts" USING btree ("case_id") WHERE "agreement_drafts"."kind" = 'agreement';--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_drafts_session_record_idx" ON "agreement_drafts" USING btree ("session_id") WHERE "agreement_drafts"."kind" = 'mediation_record';--> statement-breakpoint
ALTER TABLE "sealed_documents" ADD CONSTRAINT "sealed_documents_version_id_unique" UNIQUE("version_id");--> statement-breakpoint
ALTER TABLE "agreement_drafts" ADD CONSTRAINT "agreement_drafts_kind_session" CHECK (("agreement_drafts"."kind" = 'mediation_record') = ("agreement_drafts"."session_id" is not null));--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_role" CHECK ("agreement_signatures"."role" in ('party', 'mediator', 'expert', 'recorder'));
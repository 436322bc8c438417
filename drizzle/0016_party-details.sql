CREATE TYPE "public"."agent_scope" AS ENUM('general', 'special');--> statement-breakpoint
CREATE TYPE "public"."gender" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "public"."id_document_type" AS ENUM('resident_id', 'residence_permit', 'hk_macao_pass', 'taiwan_pass', 'passport', 'foreign_permanent_id');--> statement-breakpoint
CREATE TYPE "public"."party_kind" AS ENUM('person', 'organisation');--> statement-breakpoint
CREATE TYPE "public"."representative_role" AS ENUM('legal_representative', 'person_in_charge');--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "kind" "party_kind" DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "gender" "gender";--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "ethnicity" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "birth_date" date;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "occupation" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "workplace" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "id_type" "id_document_type";--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "id_number" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "credit_code" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "representative" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "representative_role" "representative_role";--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "agent_name" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "agent_phone" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "agent_scope" "agent_scope";--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "agent_power_of_attorney_file_id" uuid;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "agent_power_of_attorney_filename" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_agent_power_of_attorney_file_id_stored_files_id_fk" FOREIGN KEY ("agent_power_of_attorney_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;
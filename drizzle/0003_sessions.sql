CREATE TYPE "public"."participant_role" AS ENUM('mediator', 'party', 'legal_expert', 'observer');--> statement-breakpoint
CREATE TYPE "public"."session_kind" AS ENUM('mediation', 'consultation');--> statement-breakpoint
CREATE TYPE "public"."session_status" AS ENUM('requested', 'scheduled', 'live', 'ended', 'cancelled');--> statement-breakpoint
CREATE TABLE "mediation_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "session_kind" NOT NULL,
	"status" "session_status" NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"title" text,
	"agenda" text,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participant_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"role" "participant_role" NOT NULL,
	"user_id" uuid,
	"case_party_id" uuid,
	"display_name" text NOT NULL,
	"invite_token_hash" text,
	"pin_hash" text,
	"invite_expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"failed_pin_attempts" integer DEFAULT 0 NOT NULL,
	"last_joined_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_participants_invite_token_hash_unique" UNIQUE("invite_token_hash"),
	CONSTRAINT "session_participants_invitation_whole" CHECK (("session_participants"."invite_token_hash" is null) = ("session_participants"."pin_hash" is null) and ("session_participants"."invite_token_hash" is null) = ("session_participants"."invite_expires_at" is null)),
	CONSTRAINT "session_participants_named" CHECK ("session_participants"."user_id" is not null or "session_participants"."invite_token_hash" is not null)
);
--> statement-breakpoint
ALTER TABLE "mediation_sessions" ADD CONSTRAINT "mediation_sessions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_sessions" ADD CONSTRAINT "mediation_sessions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_sessions" ADD CONSTRAINT "participant_sessions_participant_id_session_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."session_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_case_party_id_case_parties_id_fk" FOREIGN KEY ("case_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mediation_sessions_case_idx" ON "mediation_sessions" USING btree ("case_id","scheduled_for");--> statement-breakpoint
CREATE INDEX "participant_sessions_participant_idx" ON "participant_sessions" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "session_participants_user_idx" ON "session_participants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "session_participants_session_user_idx" ON "session_participants" USING btree ("session_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "session_participants_session_party_idx" ON "session_participants" USING btree ("session_id","case_party_id");
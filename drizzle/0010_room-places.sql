CREATE TABLE "room_places" (
	"session_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"space" text NOT NULL,
	"present" boolean NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_places_session_id_participant_id_pk" PRIMARY KEY("session_id","participant_id")
);
--> statement-breakpoint
ALTER TABLE "room_places" ADD CONSTRAINT "room_places_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_places" ADD CONSTRAINT "room_places_participant_id_session_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."session_participants"("id") ON DELETE no action ON UPDATE no action;
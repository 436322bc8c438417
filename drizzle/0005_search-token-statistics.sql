-- The planner estimates a search token's frequency from the column's most-common-elements list; with the
-- default statistics target it keeps only tokens in more than ~5% of cases and guesses 0.5% for any other,
-- so a rare name walked the whole table newest-first. 1000 keeps tokens down to ~0.1% (see BENCHMARKS.md).
ALTER TABLE "cases" ALTER COLUMN "search_tokens" SET STATISTICS 1000;

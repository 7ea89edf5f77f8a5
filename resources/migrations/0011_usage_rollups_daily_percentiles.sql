ALTER TABLE `usage_daily_models` ADD `ttft_p50_ms` real;--> statement-breakpoint
ALTER TABLE `usage_daily_models` ADD `ttft_p95_ms` real;--> statement-breakpoint
ALTER TABLE `usage_daily_models` ADD `tokens_per_second_p50` real;--> statement-breakpoint
ALTER TABLE `usage_daily_models` ADD `tokens_per_second_p95` real;--> statement-breakpoint
-- The rollups are a cache: forget every rolled-up day, so each is summed again with its p50/p95.
DELETE FROM `usage_daily_models`;--> statement-breakpoint
DELETE FROM `usage_daily_sources`;--> statement-breakpoint
DELETE FROM `usage_daily_entities`;--> statement-breakpoint
DELETE FROM `usage_rollup_days`;

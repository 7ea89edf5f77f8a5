CREATE TABLE `collections` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `collections_id_unique` ON `collections` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `collections_name_unique` ON `collections` (`name`);--> statement-breakpoint
CREATE TABLE `conversation_sources` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`collection_id` text,
	`document_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "conversation_sources_one_target" CHECK(("conversation_sources"."collection_id" IS NULL) <> ("conversation_sources"."document_id" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversation_sources_collection_idx` ON `conversation_sources` (`conversation_id`,`collection_id`) WHERE "conversation_sources"."collection_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `conversation_sources_document_idx` ON `conversation_sources` (`conversation_id`,`document_id`) WHERE "conversation_sources"."document_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `document_chunks` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`document_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`page` integer,
	`heading_path` text DEFAULT '[]' NOT NULL,
	`text` text NOT NULL,
	`char_start` integer NOT NULL,
	`char_end` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_chunks_id_unique` ON `document_chunks` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `document_chunks_document_ordinal_idx` ON `document_chunks` (`document_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `documents` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`collection_id` text NOT NULL,
	`name` text NOT NULL,
	`mime` text NOT NULL,
	`format` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`pages` integer,
	`stored_path` text NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_id_unique` ON `documents` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `documents_collection_sha256_idx` ON `documents` (`collection_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `documents_status_idx` ON `documents` (`status`);
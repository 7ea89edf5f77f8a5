CREATE TABLE `message_sources` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`n` integer NOT NULL,
	`document_id` text,
	`chunk_id` text,
	`document_name` text NOT NULL,
	`page` integer,
	`heading_path` text DEFAULT '[]' NOT NULL,
	`excerpt` text NOT NULL,
	`char_start` integer NOT NULL,
	`char_end` integer NOT NULL,
	`cited` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`chunk_id`) REFERENCES `document_chunks`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_sources_message_n_idx` ON `message_sources` (`message_id`,`n`);
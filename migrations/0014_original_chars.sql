-- Inbound text is stored cut to what the dialog reads (MAX_MESSAGE_CHARS); the length it arrived with is kept as a
-- number, so staff can see a message was longer without the server keeping (or a page returning) the whole text.
-- NULL for outbound messages and for inbound rows recorded before this migration.
ALTER TABLE messages ADD COLUMN original_chars integer;

-- A PDF is stored (archived, recorded) first and dropped after: while the drop (an SFTP server, say) is
-- unreachable it stays pending here and a later run delivers it from the archive.
ALTER TABLE harvested_file ADD COLUMN dropped_at TIMESTAMP;
UPDATE harvested_file SET dropped_at = delivered_at WHERE content_type = 'application/pdf';

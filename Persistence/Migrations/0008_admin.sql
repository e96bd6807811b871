-- Operators' searches (q on the admin listings): a case-insensitive prefix of the email or the name. text_pattern_ops
-- lets LIKE 'prefix%' use the index whatever the database's collation.
CREATE INDEX users_email_prefix ON users (lower(email) text_pattern_ops);
CREATE INDEX users_name_prefix ON users (lower(full_name) text_pattern_ops);

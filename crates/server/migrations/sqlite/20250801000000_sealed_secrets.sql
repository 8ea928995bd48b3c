-- TOTP secrets are sealed at rest (XChaCha20-Poly1305, see src/secrets):
-- `secret` holds the nonce and ciphertext (base64) and `secret_key_id` the
-- id of the key that sealed it. A row with no key id still holds the clear
-- base32 secret of before; acctd seals those when it next starts.
ALTER TABLE totp_factors RENAME COLUMN secret_base32 TO secret;
ALTER TABLE totp_factors ADD COLUMN secret_key_id TEXT;

-- Audit records are append-only: the accountability checks rely on them. Prisma cannot express
-- triggers, so this migration is written by hand. A database owner can still disable the trigger;
-- `huibao audit verify` (the hash chain) detects what is changed that way.
CREATE FUNCTION audit_records_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_records_append_only
BEFORE UPDATE OR DELETE ON audit_records
FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();

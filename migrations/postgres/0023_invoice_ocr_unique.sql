-- An OCR reference names one invoice of its tenant: a payment that quotes a reference two
-- invoices share cannot be matched. Invoices that already share one keep it on the first issued
-- invoice (else the first made); the others lose it, and the audit log keeps what they had
-- (an issued one can be given a reference of its own by re-importing it with "ocr").
with shared as (
  select id, tenant_id, ocr from (
    select id, tenant_id, ocr, row_number() over (partition by tenant_id, ocr order by status <> 'issued', id) as nth
    from invoice where ocr is not null) ranked
  where nth > 1
), audited as (
  insert into audit_log (tenant_id, table_name, row_id, action, old_values, new_values, changed_fields, worker, created_at)
  select tenant_id, 'invoice', id, 'update', jsonb_build_object('ocr', ocr), jsonb_build_object('ocr', null), '["ocr"]',
         'migration 0023', now()
  from shared
)
update invoice set ocr = null where id in (select id from shared);
create unique index invoice_ocr on invoice (tenant_id, ocr) where ocr is not null;

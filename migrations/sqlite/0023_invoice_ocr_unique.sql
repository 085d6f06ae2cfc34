-- An OCR reference names one invoice of its tenant: a payment that quotes a reference two
-- invoices share cannot be matched. Invoices that already share one keep it on the first issued
-- invoice (else the first made); the others lose it, and the audit log keeps what they had
-- (an issued one can be given a reference of its own by re-importing it with "ocr").
insert into audit_log (tenant_id, table_name, row_id, action, old_values, new_values, changed_fields, worker, created_at)
  select tenant_id, 'invoice', id, 'update', json_object('ocr', ocr), json_object('ocr', null), '["ocr"]', 'migration 0023',
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  from (select id, tenant_id, ocr,
               row_number() over (partition by tenant_id, ocr order by status <> 'issued', id) as nth
        from invoice where ocr is not null)
  where nth > 1;
update invoice set ocr = null
  where id in (select id from (select id, row_number() over (partition by tenant_id, ocr order by status <> 'issued', id) as nth
                               from invoice where ocr is not null)
               where nth > 1);
create unique index invoice_ocr on invoice (tenant_id, ocr) where ocr is not null;

-- invoice-pdf --pending reads a rendered PDF to compare it with its sha256 only when the file
-- changed on disk since it was last read (its size, inode, modification or change time differ from
-- pdf_file_stat) or was last read more than a day ago (pdf_verified_at): it used to read every PDF
-- ever rendered on every run, every five minutes from cron.
alter table invoice add column pdf_file_stat text;
alter table invoice add column pdf_verified_at timestamptz;

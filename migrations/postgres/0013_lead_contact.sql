-- The person the sales team talks to at a lead's company (`leadjobs leads edit --contact-*`).
-- PostgreSQL translation of migrations/sqlite/0013_lead_contact.sql (the same SQL).
alter table lead add column contact_name text;
alter table lead add column contact_email text;
alter table lead add column contact_phone text;

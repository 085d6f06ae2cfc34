-- The person the sales team talks to at a lead's company (`leadjobs leads edit --contact-*`).
alter table lead add column contact_name text;
alter table lead add column contact_email text;
alter table lead add column contact_phone text;

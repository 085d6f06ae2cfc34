-- Users and roles (`leadjobs users`). A person is a user once `users add` defined them
-- (defined_at); rows made on the fly (`track --as`, back-office imports, the seed) stay
-- undefined. While no row is defined the database is in single-operator mode.
-- PostgreSQL translation of migrations/sqlite/0012_users_and_roles.sql.
alter table app_user add column defined_at timestamptz;

-- The OS accounts that act as a user (one user per account).
create table user_os_account (
  os_account text primary key,
  user_id bigint not null references app_user (id) on delete cascade,
  created_at timestamptz not null
);
create index user_os_account_user on user_os_account (user_id);

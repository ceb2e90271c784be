-- A role between ADMIN and READ_ONLY: may change things (runs, prompt sets, generation, judging, training) but not keys.
alter table api_key drop constraint api_key_role_check;
alter table api_key add constraint api_key_role_check check (role in ('ADMIN', 'READ_WRITE', 'READ_ONLY'));

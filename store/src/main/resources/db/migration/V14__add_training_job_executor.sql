-- Where a training job runs (a run's trainer settings, resolved against trainer-service's configuration when the
-- job starts) and the name of the Kubernetes workload that trains it, so a restarted trainer re-attaches to it.
alter table training_job
    add column trainer  jsonb not null default '{}'::jsonb check (jsonb_typeof(trainer) = 'object'),
    add column executor text check (executor in ('embedded', 'process', 'kubernetes-job', 'kubeflow')),
    add column workload text check (char_length(workload) between 1 and 253);

-- The built-in task suite's programmatic oracle can stand as a run's judge (a control for the self-judge); it is
-- registered as a generation so its judgments keep the same lineage as any judge model's.
alter table model_generation drop constraint model_generation_checkpoint_format_check;
alter table model_generation add constraint model_generation_checkpoint_format_check
    check (checkpoint_format in ('HF_SAFETENSORS', 'REMOTE_OPENAI', 'BUILTIN_ORACLE'));

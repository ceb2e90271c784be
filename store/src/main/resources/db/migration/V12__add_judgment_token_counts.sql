-- What a model judge spent on a judgment, for the compute accounting of runs: the tokens of its judge prompt and of
-- its generated text. Null for judgments that used no model (the built-in oracle) and for rows written before.
alter table judgment
    add column prompt_tokens     integer check (prompt_tokens >= 0),
    add column completion_tokens integer check (completion_tokens >= 0);

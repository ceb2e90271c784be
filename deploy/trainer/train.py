"""Trains a job trainer-service exported, with TRL's DPOTrainer or SFTTrainer.

    python train.py EXPORT_FOLDER

Reads job.json and train.jsonl from the folder (tsr_export), trains from job["baseModel"], writes TRL's checkpoints to
job["trainingCheckpoint"] (and resumes from the newest there), and saves the model to job["output"]: the full model
with its tokenizer, or the PEFT adapter folder when the job trains LoRA. Progress goes to standard output as
trainer-service's progress lines (everything a library prints goes to standard error) and to metrics.jsonl in the
export folder.

Exit status: 0 trained, 2 the export cannot be trained as written (a retry will not help), 1 any other failure.
"""

import os
import sys
import traceback

import tsr_export

# under torchrun every process runs this; one reports
MAIN_PROCESS = os.environ.get("RANK", "0") == "0"


class Progress:
    """Writes progress lines to the real standard output and appends them to the export's metrics.jsonl."""

    def __init__(self, events, folder):
        self.events = events
        # a folder that is not there is reported on standard output alone
        self.metrics = os.path.join(folder, tsr_export.METRICS_FILE) if folder and os.path.isdir(folder) else None

    def emit(self, event, **fields):
        if not MAIN_PROCESS:
            return
        line = tsr_export.progress_line(event, **fields)
        print(line, file=self.events, flush=True)
        if self.metrics:
            with open(self.metrics, "a", encoding="utf-8") as file:
                file.write(line + "\n")

    def failed(self, reason, field=None):
        self.emit("failed", reason=reason, **({"field": field} if field else {}))


def main(argv):
    # progress lines own standard output; libraries that print write to standard error
    progress = Progress(sys.stdout, argv[0] if len(argv) == 1 else None)
    sys.stdout = sys.stderr
    if len(argv) != 1:
        progress.failed("usage: python train.py EXPORT_FOLDER", "arguments")
        return 2
    folder = argv[0]
    try:
        job = tsr_export.read_job(folder)
        rows = tsr_export.load_rows(folder, job)
        return train(job, rows, progress)
    except tsr_export.ExportError as e:
        progress.failed(str(e), e.field)
        return 2
    except Exception as e:  # noqa: BLE001 - any other failure is reported on the protocol after its traceback
        traceback.print_exc()
        progress.failed(f"{type(e).__name__}: {e}")
        return 1


def train(job, rows, progress):
    # imported here so that a bad export is reported without loading torch, and the module compiles without them
    import torch
    import trl
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    exported_reference = tsr_export.uses_exported_reference(job, rows)
    # the arguments first: a job these processes cannot share fails before any weights are loaded
    kwargs = tsr_export.trl_config_kwargs(
        job,
        job["trainingCheckpoint"],
        exported_reference=exported_reference,
        world_size=world_size,
        context_length=getattr(AutoConfig.from_pretrained(job["baseModel"]), "max_position_embeddings", None),
    )
    tokenizer = AutoTokenizer.from_pretrained(job["baseModel"])
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(job["baseModel"])
    # bf16 mixed precision where the GPU has it; float32 otherwise, as the engine trains
    kwargs["bf16"] = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    if not torch.cuda.is_available():
        kwargs["use_cpu"] = True
    peft = tsr_export.peft_kwargs(job)
    peft_config = LoraConfig(**peft) if peft else None
    dataset = Dataset.from_list(tsr_export.dataset_rows(job, rows, exported_reference))
    checkpoint = tsr_export.last_checkpoint(job["trainingCheckpoint"])
    callback = progress_callback(progress, job, len(rows), tsr_export.checkpoint_step(checkpoint), trl.__version__)

    if job["kind"] == "DPO":
        ref_model = None
        if not exported_reference and job["referenceModel"] != job["baseModel"]:
            ref_model = AutoModelForCausalLM.from_pretrained(job["referenceModel"])
        trainer_class = exported_reference_trainer(trl.DPOTrainer) if exported_reference else trl.DPOTrainer
        trainer = trainer_class(
            model=model,
            ref_model=ref_model,
            args=trl.DPOConfig(**kwargs),
            train_dataset=dataset,
            processing_class=tokenizer,
            callbacks=[callback],
            peft_config=peft_config,
        )
    else:
        trainer = trl.SFTTrainer(
            model=model,
            args=trl.SFTConfig(**kwargs),
            train_dataset=dataset,
            processing_class=tokenizer,
            callbacks=[callback],
            peft_config=peft_config,
        )
    trainer.train(resume_from_checkpoint=checkpoint)
    # a PEFT model saves its adapter folder (adapter_config.json names the base), a full model its weights
    trainer.save_model(job["output"])
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(job["output"])
    callback.finish(trainer.state.global_step)
    return 0


def exported_reference_trainer(dpo_trainer):
    """A DPOTrainer that keeps the export's reference log-probabilities.

    Asked to precompute them, TRL 1.9 always computes them itself with the reference model; the export's values,
    computed by trainer-service for the same tokens, are already columns of the dataset, so the computation is
    skipped and no reference model is loaded. _precompute_ref_logps is TRL's own method: requirements.txt pins TRL.
    """

    if not hasattr(dpo_trainer, "_precompute_ref_logps"):
        raise RuntimeError(
            "this TRL has no DPOTrainer._precompute_ref_logps; requirements.txt pins the TRL the trainer was written for"
        )

    class ExportedReferenceDPOTrainer(dpo_trainer):
        def _precompute_ref_logps(self, dataset, name, batch_size):
            if all(column in dataset.column_names for column in tsr_export.REFERENCE_COLUMNS):
                return dataset
            return super()._precompute_ref_logps(dataset, name, batch_size)

    return ExportedReferenceDPOTrainer


def progress_callback(progress, job, examples, resumed_from_step, trl_version):
    from transformers import TrainerCallback

    class ProgressCallback(TrainerCallback):
        """TRL's logs as trainer-service's progress lines: start, one step line per optimizer step, checkpoints."""

        def __init__(self):
            self.last_step = None
            self.final_logs = None

        def on_train_begin(self, args, state, control, **kwargs):
            progress.emit(
                "start",
                total_steps=state.max_steps,
                examples=examples,
                description=f"TRL {trl_version} {job['kind']} of job {job.get('jobId')} on {examples} examples"
                + (f", resumed after step {resumed_from_step}" if resumed_from_step else ""),
            )

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not logs:
                return
            if tsr_export.is_summary(logs):
                self.final_logs = logs
                return
            self.last_step = tsr_export.step_fields(logs, state.global_step, state.max_steps)
            progress.emit("step", **self.last_step)

        def on_save(self, args, state, control, **kwargs):
            progress.emit("checkpoint", step=state.global_step)

        def finish(self, steps):
            progress.emit(
                "done",
                steps=steps,
                summary=tsr_export.summary(self.last_step, self.final_logs, examples, resumed_from_step),
            )

    return ProgressCallback()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

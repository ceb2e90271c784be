"""A training job as trainer-service exports it (job.json beside train.jsonl), turned into TRL's arguments.

Standard library only: the build tests these functions on exports the Java tests write, on machines where TRL and
torch cannot be installed. train.py does the training with them.
"""

import json
import math
import os
import re

EXPORT_VERSION = 1
JOB_FILE = "job.json"
METRICS_FILE = "metrics.jsonl"
PROGRESS_EVENT = "tsr_event"
KINDS = ("SFT", "DPO")
REFERENCE_COLUMNS = ("ref_chosen_logps", "ref_rejected_logps")
# job["trl"] holds DPOConfig/SFTConfig arguments and, under this key, PEFT's LoraConfig arguments
PEFT_KEY = "peft"
PEFT_FIELDS = ("r", "lora_alpha", "lora_dropout", "target_modules")
CHECKPOINT_FOLDER = re.compile(r"^checkpoint-(\d+)$")


class ExportError(ValueError):
    """An export this trainer cannot train; retrying will not help. field names the job setting at fault, if one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def read_job(folder):
    """Reads and checks job.json: the version this trainer reads, the paths it needs and the TRL arguments."""
    path = os.path.join(folder, JOB_FILE)
    if not os.path.isfile(path):
        raise ExportError(f"{path} does not exist: not a job export")
    try:
        with open(path, encoding="utf-8") as file:
            job = json.load(file)
    except (OSError, ValueError) as e:
        raise ExportError(f"{path} cannot be read: {e}") from e
    if not isinstance(job, dict):
        raise ExportError(f"{path} is not a JSON object")
    if job.get("version") != EXPORT_VERSION:
        raise ExportError(f"{path} is version {job.get('version')}; this trainer reads version {EXPORT_VERSION}")
    if job.get("kind") not in KINDS:
        raise ExportError(f"{path}: kind must be one of {', '.join(KINDS)}, got {job.get('kind')!r}")
    needed = ["baseModel", "examples", "output", "trainingCheckpoint"]
    if job["kind"] == "DPO":
        needed.append("referenceModel")
    for name in needed:
        if not isinstance(job.get(name), str) or not job[name]:
            raise ExportError(f"{path}: {name} must be a non-empty string")
    # the examples are a file of the export folder, never a path that leaves it
    if os.path.basename(job["examples"]) != job["examples"] or job["examples"] in (".", ".."):
        raise ExportError(f"{path}: examples must name a file in the export folder, got {job['examples']!r}")
    if not isinstance(job.get("settings", {}), dict):
        raise ExportError(f"{path}: settings must be a JSON object")
    if not isinstance(job.get("trl"), dict):
        raise ExportError(
            f"{path} has no TRL arguments: trainer-service writes them for jobs on the kubeflow executor only",
            "trainer.executor",
        )
    peft = job["trl"].get(PEFT_KEY)
    if peft is not None and (not isinstance(peft, dict) or any(name not in peft for name in PEFT_FIELDS)):
        raise ExportError(f"{path}: trl.{PEFT_KEY} must hold {', '.join(PEFT_FIELDS)}")
    return job


def chat_format(job):
    """Whether the rows are conversational: the job's chat setting, true unless it says otherwise."""
    return job.get("settings", {}).get("chat", True) is not False


def load_rows(folder, job):
    """Reads the examples, checking each row has the shape TRL expects of the job's kind and format."""
    path = os.path.join(folder, job["examples"])
    check = _check_pair if job["kind"] == "DPO" else _check_sft
    chat = chat_format(job)
    rows = []
    try:
        with open(path, encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                where = f"{path} line {number}"
                try:
                    row = json.loads(line)
                except ValueError as e:
                    raise ExportError(f"{where} is not JSON: {e}") from e
                if not isinstance(row, dict):
                    raise ExportError(f"{where} is not a JSON object")
                check(row, chat, where)
                rows.append(row)
    except OSError as e:
        raise ExportError(f"{path} cannot be read: {e}") from e
    if not rows:
        raise ExportError(f"{path} has no examples")
    return rows


SUMMED_LOSSES = {"sigmoid", "hinge", "sft"}


def uses_exported_reference(job, rows):
    """Whether TRL takes the reference log-probabilities from the export instead of computing them.

    Only when every pair has them, and only for conversational rows: trainer-service's engine computed them, and it
    tokenizes a chat row as TRL does (the template's rendering of prompt and answer less the prompt's), while a plain
    row it encodes as prompt and answer apart, where TRL encodes the joined text; values for other tokens would bias
    every reward. And only for losses on summed log-probabilities (sigmoid, hinge, with or without the sft term):
    the export holds sums, while TRL's length-normalised losses (ipo, sigmoid_norm) compare per-token means.
    """
    losses = (job.get("trl") or {}).get("loss_type") or ["sigmoid"]
    return (
        job["kind"] == "DPO"
        and chat_format(job)
        and set(losses) <= SUMMED_LOSSES
        and all(all(column in row for column in REFERENCE_COLUMNS) for row in rows)
    )


def dataset_rows(job, rows, exported_reference):
    """The rows as TRL's dataset takes them.

    An SFT conversation becomes a conversational prompt-completion row, so TRL learns the answer only, as the engine
    does; reference columns TRL will not use are dropped.
    """
    if job["kind"] == "SFT":
        return [
            {"prompt": row["messages"][:-1], "completion": row["messages"][-1:]} if "messages" in row else dict(row)
            for row in rows
        ]
    if exported_reference:
        return [dict(row) for row in rows]
    return [{key: value for key, value in row.items() if key not in REFERENCE_COLUMNS} for row in rows]


def trl_config_kwargs(job, output_dir, exported_reference=False, world_size=1, context_length=None):
    """DPOConfig or SFTConfig keyword arguments: the export's, and those of how this trainer runs.

    output_dir is where TRL writes its checkpoints (the job's training checkpoint folder, so a later attempt resumes).
    The batch size of the export is the rows of one forward pass over all processes, as for the engine, so each of
    world_size processes takes its share. A job without max_length gets the model's context, as the engine does.
    bf16 is train.py's to decide, by the GPU it finds.
    """
    kwargs = {key: value for key, value in job["trl"].items() if key != PEFT_KEY}
    batch = kwargs.get("per_device_train_batch_size", 1)
    if world_size < 1 or batch % world_size != 0:
        raise ExportError(
            f"batchSize {batch} cannot be shared by {world_size} training processes: use a multiple of {world_size}",
            "hyperparameters.batchSize",
        )
    kwargs["per_device_train_batch_size"] = batch // world_size
    kwargs.setdefault("max_length", context_length)
    kwargs.update(
        output_dir=output_dir,
        logging_steps=1,
        report_to="none",
        # the engine keeps one resumable checkpoint; so does this trainer
        save_total_limit=1,
    )
    if job["kind"] == "DPO":
        kwargs["precompute_ref_log_probs"] = bool(exported_reference)
    return kwargs


def peft_kwargs(job):
    """PEFT LoraConfig keyword arguments when the job trains LoRA adapters, else None."""
    peft = job["trl"].get(PEFT_KEY)
    if peft is None:
        return None
    # adapters on the named projections only, as the engine trains them
    return {"task_type": "CAUSAL_LM", "bias": "none", **peft}


def last_checkpoint(folder):
    """The newest checkpoint-N folder TRL wrote under folder, or None when there is none to resume from."""
    if not os.path.isdir(folder):
        return None
    steps = []
    for name in os.listdir(folder):
        match = CHECKPOINT_FOLDER.match(name)
        # a checkpoint without its trainer state was cut short while being written
        if match and os.path.isfile(os.path.join(folder, name, "trainer_state.json")):
            steps.append((int(match.group(1)), name))
    return os.path.join(folder, max(steps)[1]) if steps else None


def checkpoint_step(checkpoint):
    """The step a checkpoint folder was written after; 0 for none."""
    if checkpoint is None:
        return 0
    return int(CHECKPOINT_FOLDER.match(os.path.basename(checkpoint)).group(1))


def progress_line(event, **fields):
    """One line of trainer-service's progress protocol (ProgressLines): start, step, checkpoint, done or failed."""
    return json.dumps({PROGRESS_EVENT: event, **_finite(fields)}, allow_nan=False, separators=(",", ":"))


def is_summary(logs):
    """Whether a log of TRL's is the one it writes when training ends (run time, mean loss), not a step's."""
    return "train_runtime" in logs


def step_fields(logs, step, total_steps):
    """A step's progress fields: TRL's logged metrics under their names (loss, rewards/chosen, ...) and the step."""
    fields = {"step": step, "total_steps": total_steps}
    fields.update(_numbers(logs))
    return fields


def summary(last_step, final_logs, examples, resumed_from_step):
    """The done event's summary, as the engine's: the last step's metrics, the examples and the step resumed from."""
    result = dict(last_step or {})
    result.update(_numbers(final_logs or {}))
    result["examples"] = examples
    result["resumed_from_step"] = resumed_from_step
    return result


def _numbers(logs):
    return {
        key: value
        for key, value in logs.items()
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }


def _finite(value):
    """JSON has no NaN or infinity: a non-finite metric is written as null, as the engine writes it."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def _check_pair(row, chat, where):
    for name in ("prompt", "chosen", "rejected"):
        if name not in row:
            raise ExportError(f"{where}: a DPO row needs prompt, chosen and rejected; {name} is missing")
    if chat:
        _check_messages(row["prompt"], ("user", "system", "assistant"), f"{where}: prompt")
        for name in ("chosen", "rejected"):
            _check_messages(row[name], ("assistant",), f"{where}: {name}")
    else:
        for name in ("prompt", "chosen", "rejected"):
            if not isinstance(row[name], str):
                raise ExportError(f"{where}: {name} must be a string without the chat format")
    present = [column for column in REFERENCE_COLUMNS if column in row]
    if present and len(present) != len(REFERENCE_COLUMNS):
        raise ExportError(f"{where}: {' and '.join(REFERENCE_COLUMNS)} come together or not at all")
    for column in present:
        value = row[column]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ExportError(f"{where}: {column} must be a finite number")


def _check_sft(row, chat, where):
    if chat:
        if "messages" not in row:
            raise ExportError(f"{where}: a conversational SFT row needs messages")
        messages = row["messages"]
        _check_messages(messages, ("user", "system", "assistant"), f"{where}: messages")
        if len(messages) < 2 or messages[-1]["role"] != "assistant":
            raise ExportError(f"{where}: messages must end with the assistant's answer after the prompt")
    else:
        for name in ("prompt", "completion"):
            if not isinstance(row.get(name), str):
                raise ExportError(f"{where}: a plain SFT row needs {name} as a string")


def _check_messages(messages, roles, where):
    if not isinstance(messages, list) or not messages:
        raise ExportError(f"{where} must be a non-empty list of messages with the chat format")
    for message in messages:
        if (
            not isinstance(message, dict)
            or message.get("role") not in roles
            or not isinstance(message.get("content"), str)
        ):
            raise ExportError(f"{where}: each message needs a role ({', '.join(roles)}) and a string content")

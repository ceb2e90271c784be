"""The entry point's wiring, with stand-ins for torch, transformers, datasets, PEFT and TRL.

The stand-ins only record what train.py hands them and replay the callbacks a Trainer makes; they say nothing of
whether TRL trains well, which stays untested until train.py has run on a GPU node (README.md). What they check: the
export's arguments reach DPOConfig/SFTConfig and LoraConfig, the reference model is loaded only when TRL needs it,
the export's reference values are kept, the progress lines follow the protocol, and the model is saved to the output.
"""

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import types
import unittest

import train
import tsr_export
from test_tsr_export import DPO_CHAT_LORA, DPO_PLAIN_PARTIAL_REFERENCE, FIXTURES, SFT_PLAIN
from test_tsr_export import setUpModule  # noqa: F401 - the fixtures must be there, as for the export's tests


class Recorded:
    """What the stand-ins were given in one run."""

    def __init__(self):
        self.models = []
        self.config = None
        self.lora = None
        self.trainer = None
        self.reference_computed = False


def stand_ins(recorded):
    """Modules named as train.py imports them, recording into recorded."""
    torch = types.ModuleType("torch")
    torch.cuda = types.SimpleNamespace(is_available=lambda: False, is_bf16_supported=lambda: False)

    transformers = types.ModuleType("transformers")

    class TrainerCallback:
        pass

    class Tokenizer:
        pad_token = None
        eos_token = "</s>"

        def save_pretrained(self, folder):
            os.makedirs(folder, exist_ok=True)
            open(os.path.join(folder, "tokenizer.json"), "w").close()

    transformers.TrainerCallback = TrainerCallback
    transformers.AutoConfig = types.SimpleNamespace(
        from_pretrained=lambda path: types.SimpleNamespace(max_position_embeddings=128)
    )
    transformers.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda path: Tokenizer())
    transformers.AutoModelForCausalLM = types.SimpleNamespace(
        from_pretrained=lambda path: recorded.models.append(path) or f"model at {path}"
    )

    datasets = types.ModuleType("datasets")

    class Dataset:
        def __init__(self, rows):
            self.rows = rows
            self.column_names = sorted({key for row in rows for key in row})

        @staticmethod
        def from_list(rows):
            return Dataset(rows)

    datasets.Dataset = Dataset

    peft = types.ModuleType("peft")

    def lora_config(**kwargs):
        recorded.lora = kwargs
        return kwargs

    peft.LoraConfig = lora_config

    trl = types.ModuleType("trl")
    trl.__version__ = "1.9.0"

    def config(**kwargs):
        recorded.config = kwargs
        return types.SimpleNamespace(**kwargs)

    class Trainer:
        """Replays a Trainer's callbacks for two steps, a checkpoint and the closing summary log."""

        def __init__(self, model, args, train_dataset, processing_class, callbacks, peft_config, ref_model=None):
            self.model, self.ref_model, self.args, self.dataset = model, ref_model, args, train_dataset
            self.callbacks, self.peft_config = callbacks, peft_config
            self.state = types.SimpleNamespace(global_step=0, max_steps=2)
            recorded.trainer = self
            if getattr(args, "precompute_ref_log_probs", False):
                self.dataset = self._precompute_ref_logps(train_dataset, "train", 16)

        def _precompute_ref_logps(self, dataset, name, batch_size):
            recorded.reference_computed = True
            return dataset

        def train(self, resume_from_checkpoint=None):
            self.resumed_from = resume_from_checkpoint
            for callback in self.callbacks:
                callback.on_train_begin(self.args, self.state, None)
            for step in (1, 2):
                self.state.global_step = step
                logs = {"loss": 0.7 / step, "grad_norm": 1.0, "learning_rate": 1e-6, "rewards/chosen": 0.1 * step,
                        "epoch": step / 2}
                for callback in self.callbacks:
                    callback.on_log(self.args, self.state, None, logs=logs)
            for callback in self.callbacks:
                callback.on_save(self.args, self.state, None)
                callback.on_log(self.args, self.state, None, logs={"train_runtime": 3.0, "train_loss": 0.5})

        def save_model(self, folder):
            self.saved_to = folder
            os.makedirs(folder, exist_ok=True)
            name = "adapter_config.json" if self.peft_config else "config.json"
            open(os.path.join(folder, name), "w").close()

        def is_world_process_zero(self):
            return True

    trl.DPOConfig = config
    trl.SFTConfig = config
    trl.DPOTrainer = type("DPOTrainer", (Trainer,), {})
    trl.SFTTrainer = type("SFTTrainer", (Trainer,), {})
    return {"torch": torch, "transformers": transformers, "datasets": datasets, "peft": peft, "trl": trl}


class EntryPointTest(unittest.TestCase):
    def run_export(self, name, **job_changes):
        """Runs train.main on a copy of a fixture export, its paths moved into a temporary folder."""
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        folder = os.path.join(work, "export")
        shutil.copytree(os.path.join(FIXTURES, name), folder)
        with open(os.path.join(folder, tsr_export.JOB_FILE), encoding="utf-8") as file:
            job = json.load(file)
        job.update(output=os.path.join(work, "model"), trainingCheckpoint=os.path.join(work, "checkpoint"))
        job.update(job_changes)
        with open(os.path.join(folder, tsr_export.JOB_FILE), "w", encoding="utf-8") as file:
            json.dump(job, file)
        recorded = Recorded()
        out = io.StringIO()
        modules = stand_ins(recorded)
        saved = {name: sys.modules.get(name) for name in modules}
        sys.modules.update(modules)
        try:
            with contextlib.redirect_stdout(out):
                status = train.main([folder])
        finally:
            for module, previous in saved.items():
                if previous is None:
                    del sys.modules[module]
                else:
                    sys.modules[module] = previous
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        return status, lines, recorded, job, folder

    def test_a_lora_dpo_export_trains_with_its_arguments_and_its_reference_values(self):
        status, lines, recorded, job, folder = self.run_export(DPO_CHAT_LORA)

        self.assertEqual(status, 0, lines)
        self.assertEqual(recorded.config["loss_type"], ["sigmoid", "sft"])
        self.assertEqual(recorded.config["loss_weights"], [1.0, 0.5])
        self.assertEqual(recorded.config["output_dir"], job["trainingCheckpoint"])
        self.assertTrue(recorded.config["precompute_ref_log_probs"])
        self.assertFalse(recorded.config["bf16"], "no GPU here")
        self.assertEqual(recorded.lora["r"], 4)
        self.assertEqual(recorded.models, [job["baseModel"]], "the export's reference values replace a reference model")
        self.assertFalse(recorded.reference_computed, "the export's reference values are kept, not recomputed")
        self.assertIn("ref_chosen_logps", recorded.trainer.dataset.column_names)
        self.assertTrue(os.path.isfile(os.path.join(job["output"], "adapter_config.json")))
        self.assertTrue(os.path.isfile(os.path.join(job["output"], "tokenizer.json")))

        self.assertEqual([line["tsr_event"] for line in lines], ["start", "step", "step", "checkpoint", "done"])
        self.assertEqual((lines[0]["total_steps"], lines[0]["examples"]), (2, 3))
        self.assertEqual(lines[2], {"tsr_event": "step", "step": 2, "total_steps": 2, "loss": 0.35, "grad_norm": 1.0,
                                    "learning_rate": 1e-6, "rewards/chosen": 0.2, "epoch": 1.0})
        self.assertEqual(lines[4]["steps"], 2)
        self.assertEqual(lines[4]["summary"]["train_runtime"], 3.0)
        self.assertEqual(lines[4]["summary"]["examples"], 3)
        with open(os.path.join(folder, tsr_export.METRICS_FILE), encoding="utf-8") as file:
            self.assertEqual([json.loads(line) for line in file], lines, "metrics.jsonl keeps the same lines")

    def test_pairs_without_every_reference_value_load_a_reference_other_than_the_base(self):
        status, lines, recorded, job, _ = self.run_export(DPO_PLAIN_PARTIAL_REFERENCE, referenceModel="/models/ref")

        self.assertEqual(status, 0, lines)
        self.assertFalse(recorded.config["precompute_ref_log_probs"])
        self.assertEqual(recorded.models, [job["baseModel"], "/models/ref"])
        self.assertEqual(recorded.trainer.ref_model, "model at /models/ref")
        self.assertNotIn("ref_chosen_logps", recorded.trainer.dataset.column_names)

    def test_an_sft_export_saves_the_full_model(self):
        status, lines, recorded, job, _ = self.run_export(SFT_PLAIN)

        self.assertEqual(status, 0, lines)
        self.assertTrue(recorded.config["completion_only_loss"])
        self.assertEqual(recorded.config["max_length"], 128, "the model's context")
        self.assertIsNone(recorded.trainer.peft_config)
        self.assertTrue(os.path.isfile(os.path.join(job["output"], "config.json")))

    def test_training_resumes_from_the_checkpoint_an_earlier_attempt_left(self):
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        checkpoint = os.path.join(work, "checkpoint-1")
        os.makedirs(checkpoint)
        open(os.path.join(checkpoint, "trainer_state.json"), "w").close()

        status, lines, recorded, _, _ = self.run_export(SFT_PLAIN, trainingCheckpoint=work)

        self.assertEqual(status, 0, lines)
        self.assertEqual(recorded.trainer.resumed_from, checkpoint)
        self.assertIn("resumed after step 1", lines[0]["description"])
        self.assertEqual(lines[-1]["summary"]["resumed_from_step"], 1)

    def test_a_batch_the_processes_cannot_share_fails_naming_it_before_loading_a_model(self):
        os.environ["WORLD_SIZE"] = "3"
        self.addCleanup(os.environ.pop, "WORLD_SIZE")

        status, lines, recorded, _, _ = self.run_export(SFT_PLAIN)

        self.assertEqual(status, 2)
        self.assertEqual(lines[-1]["tsr_event"], "failed")
        self.assertEqual(lines[-1]["field"], "hyperparameters.batchSize")
        self.assertEqual(recorded.models, [])


if __name__ == "__main__":
    unittest.main()

"""Tests of the export's translation to TRL's arguments, on the exports trainer-service's Java tests write.

The build runs them after trainer-service's tests (ExportFixturesTest writes target/export-fixtures); by hand:

    ./mvnw -B -pl trainer-service verify -Dtest=ExportFixturesTest -Dsurefire.failIfNoSpecifiedTests=false
    python3 -m unittest discover -s deploy/trainer -p 'test_*.py' -v

Nothing here imports TRL or torch: the training itself is not tested here (see README.md).
"""

import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

import train
import tsr_export

FIXTURES = os.environ.get(
    "TSR_EXPORT_FIXTURES",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "trainer-service", "target", "export-fixtures"),
)
DPO_CHAT_LORA = "dpo-chat-lora"
DPO_PLAIN_PARTIAL_REFERENCE = "dpo-plain-partial-reference"
SFT_PLAIN = "sft-plain"


def setUpModule():
    missing = [
        name
        for name in (DPO_CHAT_LORA, DPO_PLAIN_PARTIAL_REFERENCE, SFT_PLAIN)
        if not os.path.isfile(os.path.join(FIXTURES, name, tsr_export.JOB_FILE))
    ]
    if missing:
        raise AssertionError(
            f"no export fixtures {', '.join(missing)} in {os.path.abspath(FIXTURES)}: run the Java tests first"
            " (./mvnw -B -pl trainer-service verify, whose ExportFixturesTest writes them), or point"
            " TSR_EXPORT_FIXTURES at them"
        )


def fixture(name):
    folder = os.path.join(FIXTURES, name)
    job = tsr_export.read_job(folder)
    return folder, job, tsr_export.load_rows(folder, job)


class DpoExportTest(unittest.TestCase):
    def test_the_runs_dpo_settings_become_dpo_config_arguments(self):
        folder, job, rows = fixture(DPO_CHAT_LORA)

        kwargs = tsr_export.trl_config_kwargs(
            job, "/ckpt", exported_reference=tsr_export.uses_exported_reference(job, rows), context_length=4096
        )

        self.assertEqual(kwargs["beta"], 0.1)
        self.assertEqual(kwargs["loss_type"], ["sigmoid", "sft"])
        self.assertEqual(kwargs["loss_weights"], [1.0, 0.5])
        self.assertEqual(kwargs["learning_rate"], 1e-6)
        self.assertEqual(kwargs["lr_scheduler_type"], "polynomial")
        self.assertEqual(kwargs["lr_scheduler_kwargs"], {"lr_end": 1e-7, "power": 1.0})
        self.assertEqual(kwargs["num_train_epochs"], 1)
        self.assertEqual(kwargs["per_device_train_batch_size"], 16)
        self.assertEqual(kwargs["gradient_accumulation_steps"], 1)
        self.assertEqual(kwargs["save_strategy"], "steps")
        self.assertEqual(kwargs["save_steps"], 5)
        self.assertEqual(kwargs["max_length"], 512, "the job's maxLength wins over the model's context")
        self.assertFalse(kwargs["disable_dropout"])
        self.assertTrue(kwargs["precompute_ref_log_probs"])
        self.assertEqual(kwargs["output_dir"], "/ckpt")
        self.assertEqual(kwargs["logging_steps"], 1)
        self.assertEqual(kwargs["report_to"], "none")
        self.assertNotIn(tsr_export.PEFT_KEY, kwargs, "LoRA goes to PEFT, not to DPOConfig")

    def test_lora_becomes_peft_arguments(self):
        _, job, _ = fixture(DPO_CHAT_LORA)

        self.assertEqual(
            tsr_export.peft_kwargs(job),
            {
                "task_type": "CAUSAL_LM",
                "bias": "none",
                "r": 4,
                "lora_alpha": 8.0,
                "lora_dropout": 0.1,
                "target_modules": ["q_proj", "k_proj", "v_proj"],
            },
        )

    def test_conversational_pairs_with_every_reference_value_keep_them_for_trl(self):
        _, job, rows = fixture(DPO_CHAT_LORA)

        self.assertTrue(tsr_export.uses_exported_reference(job, rows))
        dataset = tsr_export.dataset_rows(job, rows, True)
        self.assertEqual(len(dataset), 3)
        self.assertEqual(dataset[0]["prompt"], [{"role": "user", "content": "sort: cba"}])
        self.assertEqual(dataset[0]["chosen"], [{"role": "assistant", "content": "abc"}])
        self.assertEqual(dataset[0]["rejected"], [{"role": "assistant", "content": "cab"}])
        self.assertEqual((dataset[0]["ref_chosen_logps"], dataset[0]["ref_rejected_logps"]), (-3.25, -7.5))
        self.assertEqual(dataset[1]["prompt"][0]["content"], "Résumé in one line: «naïve» café")

    def test_pairs_missing_a_reference_value_let_trl_compute_them_all(self):
        _, job, rows = fixture(DPO_PLAIN_PARTIAL_REFERENCE)

        exported = tsr_export.uses_exported_reference(job, rows)
        dataset = tsr_export.dataset_rows(job, rows, exported)

        self.assertFalse(exported)
        self.assertFalse(tsr_export.trl_config_kwargs(job, "/ckpt", exported)["precompute_ref_log_probs"])
        self.assertEqual(dataset, [
            {"prompt": "sort: fed", "chosen": "def", "rejected": "efd"},
            {"prompt": "sort: qpo", "chosen": "opq", "rejected": "pqo"},
        ])

    def test_plain_pairs_never_use_the_exported_reference(self):
        _, job, rows = fixture(DPO_PLAIN_PARTIAL_REFERENCE)

        self.assertFalse(tsr_export.uses_exported_reference(job, rows[:1]), "plain text is tokenized differently")

    def test_length_normalised_losses_never_use_the_exported_sums(self):
        _, job, rows = fixture(DPO_CHAT_LORA)

        for losses in (["ipo"], ["sigmoid_norm"], ["sigmoid_norm", "sft"]):
            normalised = dict(job, trl=dict(job["trl"], loss_type=losses))
            self.assertFalse(tsr_export.uses_exported_reference(normalised, rows), losses)
        summed = dict(job, trl=dict(job["trl"], loss_type=["hinge", "sft"]))
        self.assertTrue(tsr_export.uses_exported_reference(summed, rows))

    def test_the_batch_is_shared_by_the_training_processes(self):
        _, job, _ = fixture(DPO_CHAT_LORA)

        self.assertEqual(tsr_export.trl_config_kwargs(job, "/c", world_size=4)["per_device_train_batch_size"], 4)
        with self.assertRaises(tsr_export.ExportError) as refused:
            tsr_export.trl_config_kwargs(job, "/c", world_size=3)
        self.assertEqual(refused.exception.field, "hyperparameters.batchSize")


class SftExportTest(unittest.TestCase):
    def test_the_sft_defaults_become_sft_config_arguments(self):
        _, job, _ = fixture(SFT_PLAIN)

        kwargs = tsr_export.trl_config_kwargs(job, "/ckpt", context_length=2048)

        self.assertEqual(kwargs["learning_rate"], 1e-4)
        self.assertEqual(kwargs["lr_scheduler_type"], "cosine_with_min_lr")
        self.assertEqual(kwargs["lr_scheduler_kwargs"], {"min_lr": 1e-5})
        self.assertEqual(kwargs["num_train_epochs"], 3)
        self.assertEqual(kwargs["seed"], 42)
        self.assertTrue(kwargs["completion_only_loss"])
        self.assertEqual(kwargs["max_length"], 2048, "without maxLength the model's context, as the engine")
        self.assertNotIn("beta", kwargs)
        self.assertNotIn("precompute_ref_log_probs", kwargs)
        self.assertIsNone(tsr_export.peft_kwargs(job))

    def test_plain_rows_are_prompt_completion_strings(self):
        _, job, rows = fixture(SFT_PLAIN)

        self.assertEqual(tsr_export.dataset_rows(job, rows, False), [
            {"prompt": "Name a colour.", "completion": "Blue."},
            {"prompt": "Count to three.", "completion": "1, 2, 3"},
        ])

    def test_a_conversation_becomes_a_conversational_prompt_completion_row(self):
        job = {"kind": "SFT", "settings": {}}
        rows = [{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}]

        self.assertEqual(tsr_export.dataset_rows(job, rows, False), [
            {"prompt": [{"role": "user", "content": "Hi"}], "completion": [{"role": "assistant", "content": "Hello."}]}
        ])


class BadExportTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.folder)
        with open(os.path.join(FIXTURES, DPO_CHAT_LORA, tsr_export.JOB_FILE), encoding="utf-8") as file:
            self.job = json.load(file)

    def write(self, job=None, lines=None):
        with open(os.path.join(self.folder, tsr_export.JOB_FILE), "w", encoding="utf-8") as file:
            json.dump(self.job if job is None else job, file)
        if lines is not None:
            with open(os.path.join(self.folder, "train.jsonl"), "w", encoding="utf-8") as file:
                file.write("\n".join(lines) + "\n")

    def assert_refused(self, message, field=None):
        with self.assertRaises(tsr_export.ExportError) as refused:
            tsr_export.load_rows(self.folder, tsr_export.read_job(self.folder))
        self.assertIn(message, str(refused.exception))
        self.assertEqual(refused.exception.field, field)

    def test_a_folder_without_job_json_is_not_an_export(self):
        self.assert_refused("does not exist: not a job export")

    def test_another_export_version_is_refused(self):
        self.write({**self.job, "version": 2})
        self.assert_refused("is version 2; this trainer reads version 1")

    def test_a_job_without_trl_arguments_names_the_executor(self):
        self.write({key: value for key, value in self.job.items() if key != "trl"})
        self.assert_refused("has no TRL arguments", "trainer.executor")

    def test_examples_outside_the_export_folder_are_refused(self):
        self.write({**self.job, "examples": "../train.jsonl"})
        self.assert_refused("examples must name a file in the export folder")

    def test_a_pair_without_its_rejected_answer_is_refused_with_its_line(self):
        self.write(lines=['{"prompt":[{"role":"user","content":"p"}],"chosen":[{"role":"assistant","content":"c"}]}'])
        self.assert_refused("train.jsonl line 1: a DPO row needs prompt, chosen and rejected; rejected is missing")

    def test_plain_text_in_a_chat_job_is_refused(self):
        self.write(lines=['{"prompt":"p","chosen":"c","rejected":"r"}'])
        self.assert_refused("prompt must be a non-empty list of messages")

    def test_half_of_the_reference_values_is_refused(self):
        line = json.dumps({
            "prompt": [{"role": "user", "content": "p"}],
            "chosen": [{"role": "assistant", "content": "c"}],
            "rejected": [{"role": "assistant", "content": "r"}],
            "ref_chosen_logps": -1.0,
        })
        self.write(lines=[line])
        self.assert_refused("ref_chosen_logps and ref_rejected_logps come together or not at all")

    def test_a_non_finite_reference_value_is_refused(self):
        self.write(lines=[
            '{"prompt":[{"role":"user","content":"p"}],"chosen":[{"role":"assistant","content":"c"}],'
            '"rejected":[{"role":"assistant","content":"r"}],"ref_chosen_logps":NaN,"ref_rejected_logps":-1}'
        ])
        self.assert_refused("ref_chosen_logps must be a finite number")

    def test_an_export_without_examples_is_refused(self):
        self.write(lines=[""])
        self.assert_refused("has no examples")

    def test_the_entry_point_reports_a_bad_export_as_a_failed_line_and_exits_2(self):
        self.write({**self.job, "version": 2})
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = train.main([self.folder])

        self.assertEqual(status, 2)
        event = json.loads(out.getvalue().strip())
        self.assertEqual(event["tsr_event"], "failed")
        self.assertIn("is version 2", event["reason"])
        self.assertNotIn("field", event)
        with open(os.path.join(self.folder, tsr_export.METRICS_FILE), encoding="utf-8") as file:
            self.assertEqual(json.loads(file.read()), event, "the line is kept in metrics.jsonl too")


class ProgressTest(unittest.TestCase):
    def test_a_step_line_carries_trls_metrics_under_their_names(self):
        logs = {"loss": 0.69, "grad_norm": 1.5, "learning_rate": 1e-6, "epoch": 0.5, "rewards/chosen": 0.1,
                "rewards/margins": 0.2, "logps/rejected": -40.0, "note": "not a metric"}

        line = json.loads(tsr_export.progress_line("step", **tsr_export.step_fields(logs, 3, 10)))

        self.assertEqual(line, {"tsr_event": "step", "step": 3, "total_steps": 10, "loss": 0.69, "grad_norm": 1.5,
                                "learning_rate": 1e-6, "epoch": 0.5, "rewards/chosen": 0.1, "rewards/margins": 0.2,
                                "logps/rejected": -40.0})

    def test_non_finite_metrics_are_written_as_null(self):
        text = tsr_export.progress_line("step", step=1, loss=float("nan"), grad_norm=float("inf"))

        self.assertNotIn("NaN", text)
        self.assertEqual(json.loads(text), {"tsr_event": "step", "step": 1, "loss": None, "grad_norm": None})

    def test_the_protocols_other_events(self):
        self.assertEqual(json.loads(tsr_export.progress_line("start", total_steps=4, examples=3, description="d")),
                         {"tsr_event": "start", "total_steps": 4, "examples": 3, "description": "d"})
        self.assertEqual(json.loads(tsr_export.progress_line("checkpoint", step=2)),
                         {"tsr_event": "checkpoint", "step": 2})
        self.assertEqual(json.loads(tsr_export.progress_line("failed", reason="r", field="hyperparameters.beta")),
                         {"tsr_event": "failed", "reason": "r", "field": "hyperparameters.beta"})

    def test_the_summary_is_the_last_step_with_the_runs_totals(self):
        final = {"train_runtime": 12.5, "train_loss": 0.6, "epoch": 1.0}

        self.assertTrue(tsr_export.is_summary(final))
        self.assertFalse(tsr_export.is_summary({"loss": 0.6}))
        self.assertEqual(tsr_export.summary({"step": 4, "loss": 0.5}, final, 3, 2),
                         {"step": 4, "loss": 0.5, "train_runtime": 12.5, "train_loss": 0.6, "epoch": 1.0,
                          "examples": 3, "resumed_from_step": 2})


class CheckpointTest(unittest.TestCase):
    def test_training_resumes_from_the_newest_complete_checkpoint(self):
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        for name, complete in (("checkpoint-5", True), ("checkpoint-40", True), ("checkpoint-45", False),
                               ("other-50", True)):
            os.makedirs(os.path.join(folder, name))
            if complete:
                open(os.path.join(folder, name, "trainer_state.json"), "w").close()

        newest = tsr_export.last_checkpoint(folder)

        self.assertEqual(newest, os.path.join(folder, "checkpoint-40"))
        self.assertEqual(tsr_export.checkpoint_step(newest), 40)

    def test_no_checkpoint_folder_starts_from_the_base(self):
        self.assertIsNone(tsr_export.last_checkpoint(os.path.join(tempfile.gettempdir(), "no-such-tsr-checkpoint")))
        self.assertEqual(tsr_export.checkpoint_step(None), 0)


if __name__ == "__main__":
    unittest.main()

package org.tsr.trainer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tsr.trainer.kubernetes.TrainingCluster.eventually;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.execution.TrainingCancelledException;
import org.tsr.trainer.export.ProgressLines;
import org.tsr.trainer.job.InvalidTrainingJobException;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.TrainedModel;

@EnableKubernetesMockClient(crud = true)
class KubernetesJobExecutionTest {

    static final Map<String, String> POD_LABELS = Map.of("app.kubernetes.io/instance", "tsr-train-7");

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path checkpoints;

    TrainingCluster cluster;
    KubernetesExecution execution;
    PreparedJob job;

    @BeforeEach
    void cluster() {
        cluster = new TrainingCluster(server, client, checkpoints);
        execution = cluster.execution(TrainingExecutor.KUBERNETES_JOB);
        job = cluster.job(7, new TrainerSettings(TrainingExecutor.KUBERNETES_JOB, 1, 1, null));
    }

    @Test
    void submitsABatchJobThatRunsTheTrainerOnTheExportFolderOnOneGpu() throws Exception {
        TrainingCluster.Attempt attempt = cluster.train(execution, job);
        Job created = eventually(() -> cluster.job("tsr-train-7"));
        Path export = checkpoints.resolve("jobs/7/export");

        assertThat(created.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "tsr-train-7")
                .containsEntry("app.kubernetes.io/part-of", "tsr")
                .containsEntry("app.kubernetes.io/managed-by", "trainer-service");
        assertThat(created.getSpec().getBackoffLimit()).isZero();
        assertThat(created.getSpec().getPodFailurePolicy().getRules())
                .extracting(rule -> rule.getAction())
                .containsExactly("Ignore", "FailJob");
        assertThat(created.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(POD_LABELS);
        PodSpec pod = created.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("tsr-training");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).singleElement().satisfies(toleration -> {
            assertThat(toleration.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(toleration.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getContainers()).singleElement().satisfies(container -> {
            assertThat(container.getName()).isEqualTo("trainer");
            assertThat(container.getImage()).isEqualTo("tsr/trainer-service:0.1.0-cu128");
            assertThat(container.getCommand())
                    .containsExactly(
                            "java",
                            "-Dloader.main=org.tsr.trainer.process.TrainingProcess",
                            "-cp",
                            "/app",
                            "org.springframework.boot.loader.launch.PropertiesLauncher");
            assertThat(container.getArgs())
                    .containsExactly(export.toString(), "--device", "gpu0", "--reference-batch-pairs", "8");
            assertThat(container.getResources().getRequests())
                    .containsEntry("cpu", new Quantity("4"))
                    .containsEntry("memory", new Quantity("32Gi"))
                    .containsEntry("nvidia.com/gpu", new Quantity("1"));
            assertThat(container.getResources().getLimits())
                    .containsEntry("memory", new Quantity("32Gi"))
                    .containsEntry("nvidia.com/gpu", new Quantity("1"));
            assertThat(container.getVolumeMounts())
                    .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo(checkpoints.toString()));
        });
        assertThat(pod.getVolumes())
                .anySatisfy(
                        volume -> assertThat(volume.getPersistentVolumeClaim().getClaimName())
                                .isEqualTo("tsr-checkpoints"));
        assertThat(export.resolve("job.json")).isRegularFile();
        assertThat(export.resolve("train.jsonl")).isRegularFile();
        eventually(() -> cluster.progress.workload() != null);
        assertThat(cluster.progress.workload()).isEqualTo("tsr-train-7");
        assertThat(attempt.reattached).hasValue(0);

        attempt.cancelled.set(true);
        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TrainingCancelledException.class);
    }

    @Test
    void followsTheTrainersLinesUntilTheJobCompletesThenChecksAndPublishesTheModel() throws Exception {
        TrainingCluster.Attempt attempt = cluster.train(execution, job);
        eventually(() -> cluster.job("tsr-train-7"));
        cluster.runningPod("tsr-train-7-x2k9f", POD_LABELS, "trainer");
        cluster.print(
                "tsr-train-7-x2k9f",
                ProgressLines.started(2, 2, "DPO on 2 pairs"),
                ProgressLines.step(Map.of("step", 1, "total_steps", 2, "loss", 0.69, "tokens", 40)),
                "a line the engine logged");
        eventually(() -> cluster.progress.steps().size() == 1);
        cluster.print(
                "tsr-train-7-x2k9f",
                ProgressLines.step(Map.of("step", 2, "total_steps", 2, "loss", 0.61, "tokens", 40)),
                ProgressLines.finished(2, Map.of("loss", 0.61, "examples", 2)));
        cluster.writeModel(job);
        cluster.podTerminated("tsr-train-7-x2k9f", "trainer", 0, "Completed");
        cluster.jobCondition("tsr-train-7", "Complete", null, null);

        TrainedModel model = attempt.result.get(20, TimeUnit.SECONDS);

        assertThat(model.steps()).isEqualTo(2);
        assertThat(model.metricsJson()).contains("\"loss\":0.61");
        assertThat(Path.of(java.net.URI.create(model.checkpointUri())))
                .isEqualTo(checkpoints.resolve("models/job-7"))
                .isDirectoryContaining(file -> file.getFileName().toString().equals("config.json"));
        assertThat(cluster.progress.totalSteps()).isEqualTo(2);
        assertThat(cluster.progress.steps())
                .as("each line once, though the log's tail was read many times")
                .extracting(step -> step.step())
                .containsExactly(1, 2);
        assertThat(cluster.progress.log())
                .contains("created the batch Job tsr-train-7", "a line the engine logged")
                .anySatisfy(line -> assertThat(line).startsWith("batch Job tsr-train-7: succeeded"));
    }

    @Test
    void aPodKilledForItsMemoryFailsTheJobNamingOomKilled() {
        TrainingCluster.Attempt attempt = cluster.train(execution, job);
        eventually(() -> cluster.job("tsr-train-7"));
        cluster.runningPod("tsr-train-7-x2k9f", POD_LABELS, "trainer");
        cluster.print("tsr-train-7-x2k9f", ProgressLines.started(2, 2, "DPO on 2 pairs"));
        cluster.podTerminated("tsr-train-7-x2k9f", "trainer", 137, "OOMKilled");
        cluster.jobCondition(
                "tsr-train-7", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the batch Job tsr-train-7 failed: BackoffLimitExceeded")
                .hasMessageContaining("pod tsr-train-7-x2k9f: container trainer OOMKilled (exit code 137)");
        assertThat(checkpoints.resolve("models/job-7")).doesNotExist();
    }

    @Test
    void anImageThatCannotBePulledFailsTheJobAndDeletesItsWorkload() {
        TrainingCluster.Attempt attempt = cluster.train(execution, job);
        eventually(() -> cluster.job("tsr-train-7"));
        cluster.runningPod("tsr-train-7-x2k9f", POD_LABELS, "trainer");
        cluster.podStatus(
                "tsr-train-7-x2k9f",
                "Pending",
                new ContainerStatusBuilder()
                        .withName("trainer")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"tsr/trainer-service:0.1.0-cu128\"")
                        .endWaiting()
                        .endState()
                        .build());

        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the batch Job tsr-train-7 cannot run")
                .hasMessageContaining("container trainer ImagePullBackOff: Back-off pulling image")
                .hasMessageContaining("trainer-service deleted it");
        assertThat(cluster.job("tsr-train-7")).isNull();
    }

    @Test
    void aJobDeletedFromOutsideFailsSayingSo() {
        TrainingCluster.Attempt attempt = cluster.train(execution, job);
        eventually(() -> cluster.job("tsr-train-7"));

        client.batch()
                .v1()
                .jobs()
                .inNamespace(TrainingCluster.NAMESPACE)
                .withName("tsr-train-7")
                .delete();

        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the batch Job tsr-train-7 was deleted before it finished, not by trainer-service");
    }

    @Test
    void aJobTheTrainerFindsInvalidFailsNamingTheSetting() {
        TrainingCluster.Attempt attempt = cluster.train(execution, job);
        eventually(() -> cluster.job("tsr-train-7"));
        cluster.runningPod("tsr-train-7-x2k9f", POD_LABELS, "trainer");
        cluster.print(
                "tsr-train-7-x2k9f",
                ProgressLines.failed("hyperparameters.maxLength 4096 exceeds the model's context", "hyperparameters"));
        cluster.podTerminated("tsr-train-7-x2k9f", "trainer", 2, "Error");
        cluster.jobCondition("tsr-train-7", "Failed", "PodFailurePolicy", "Container trainer exited with 2");

        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        InvalidTrainingJobException.class,
                        e -> assertThat(e.field()).isEqualTo("hyperparameters"))
                .hasMessageContaining("exceeds the model's context");
    }

    @Test
    void settingsTheEngineCannotHonourAreRefusedBeforeAnythingIsCreated() {
        PreparedJob twoNodes = cluster.job(8, new TrainerSettings(TrainingExecutor.KUBERNETES_JOB, 2, 1, null));
        PreparedJob twoGpus = cluster.job(9, new TrainerSettings(TrainingExecutor.KUBERNETES_JOB, 1, 2, null));

        assertThatThrownBy(() -> execution.train(twoNodes, null))
                .isInstanceOfSatisfying(
                        InvalidTrainingJobException.class,
                        e -> assertThat(e.field()).isEqualTo("trainer.nodes"));
        assertThatThrownBy(() -> execution.train(twoGpus, null))
                .isInstanceOfSatisfying(
                        InvalidTrainingJobException.class,
                        e -> assertThat(e.field()).isEqualTo("trainer.gpusPerNode"));
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(TrainingCluster.NAMESPACE)
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(checkpoints.resolve("jobs/8/export/job.json")).doesNotExist();
        assertThat(checkpoints.resolve("jobs/9/export/job.json")).doesNotExist();
    }
}

package org.tsr.trainer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tsr.trainer.kubernetes.TrainingCluster.eventually;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
class KubeflowExecutionTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path checkpoints;

    TrainingCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = new TrainingCluster(server, client, checkpoints);
    }

    /** A pod of node {@code index} of the TrainJob's JobSet, as the torch runtime's pods are labelled. */
    static Map<String, String> node(int index) {
        return Map.of(
                "jobset.sigs.k8s.io/jobset-name", "tsr-train-7",
                "jobset.sigs.k8s.io/replicatedjob-name", "node",
                "batch.kubernetes.io/job-completion-index", Integer.toString(index));
    }

    @Test
    @SuppressWarnings("unchecked")
    void submitsATrainJobOnTheRuntimeWithTheRunsNodesAndGpusPerNode() throws Exception {
        PreparedJob job = cluster.job(7, new TrainerSettings(TrainingExecutor.KUBEFLOW, 2, 4, null));
        TrainingCluster.Attempt attempt = cluster.train(cluster.execution(TrainingExecutor.KUBEFLOW), job);

        GenericKubernetesResource trainJob = eventually(() -> cluster.trainJob("tsr-train-7"));

        assertThat(trainJob.getApiVersion()).isEqualTo("trainer.kubeflow.org/v1alpha1");
        assertThat(trainJob.getKind()).isEqualTo("TrainJob");
        assertThat(trainJob.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "tsr-train-7")
                .containsEntry("app.kubernetes.io/managed-by", "trainer-service");
        Map<String, Object> spec =
                (Map<String, Object>) trainJob.getAdditionalProperties().get("spec");
        assertThat(spec).doesNotContainKey("activeDeadlineSeconds");
        assertThat((Map<String, Object>) spec.get("runtimeRef"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "name", "tsr-trl-torch-distributed",
                        "apiGroup", "trainer.kubeflow.org",
                        "kind", "TrainingRuntime"));
        Map<String, Object> trainer = (Map<String, Object>) spec.get("trainer");
        assertThat(trainer)
                .containsEntry("image", "tsr/trl-trainer:0.1.0")
                .containsEntry("command", List.of("torchrun", "/opt/tsr-trainer/train.py"))
                .containsEntry(
                        "args", List.of(checkpoints.resolve("jobs/7/export").toString()))
                .containsEntry("numNodes", 2)
                .containsEntry(
                        "resourcesPerNode",
                        Map.of(
                                "requests", Map.of("cpu", "4", "memory", "32Gi", "nvidia.com/gpu", "4"),
                                "limits", Map.of("memory", "32Gi", "nvidia.com/gpu", "4")));
        assertThat(checkpoints.resolve("jobs/7/export/job.json")).isRegularFile();

        attempt.cancelled.set(true);
        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TrainingCancelledException.class);
        assertThat(cluster.trainJob("tsr-train-7"))
                .as("deleted on cancellation")
                .isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anImageTheRunNamesAndADeadlineGoIntoTheTrainJob() {
        PreparedJob job =
                cluster.job(7, new TrainerSettings(TrainingExecutor.KUBEFLOW, 1, 1, "registry.example/trl:2"));
        KubernetesExecution execution =
                cluster.execution(TrainingExecutor.KUBEFLOW, cluster.properties(Duration.ofSeconds(1)));
        TrainingCluster.Attempt attempt = cluster.train(execution, job);

        Map<String, Object> spec = (Map<String, Object>) eventually(() -> cluster.trainJob("tsr-train-7"))
                .getAdditionalProperties()
                .get("spec");

        assertThat((Map<String, Object>) spec.get("trainer")).containsEntry("image", "registry.example/trl:2");
        assertThat(spec).containsEntry("activeDeadlineSeconds", 1);
        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the TrainJob tsr-train-7 ran past its deadline of PT1S");
        assertThat(cluster.trainJob("tsr-train-7")).isNull();
    }

    @Test
    void anImageTheOperatorDidNotAllowFailsTheJobBeforeAnythingIsCreated() {
        PreparedJob job = cluster.job(8, new TrainerSettings(TrainingExecutor.KUBEFLOW, 1, 1, "evil.example/miner:1"));
        KubernetesExecution execution = cluster.execution(TrainingExecutor.KUBEFLOW);

        assertThatThrownBy(() -> cluster.train(execution, job).result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(InvalidTrainingJobException.class)
                .hasMessageContaining("trainer.image evil.example/miner:1 is not allowed");
        assertThat(cluster.trainJob("tsr-train-8")).isNull();
    }

    @Test
    void readsNodeZerosLogAndPublishesWhenTheTrainJobCompletes() throws Exception {
        PreparedJob job = cluster.job(7, new TrainerSettings(TrainingExecutor.KUBEFLOW, 2, 1, null));
        TrainingCluster.Attempt attempt = cluster.train(cluster.execution(TrainingExecutor.KUBEFLOW), job);
        eventually(() -> cluster.trainJob("tsr-train-7"));
        cluster.runningPod("tsr-train-7-node-0-0-abcde", node(0), "node");
        cluster.runningPod("tsr-train-7-node-0-1-fghij", node(1), "node");
        cluster.print(
                "tsr-train-7-node-0-1-fghij",
                ProgressLines.step(Map.of("step", 9, "total_steps", 9, "loss", 9.0, "tokens", 1)));
        cluster.print(
                "tsr-train-7-node-0-0-abcde",
                ProgressLines.started(1, 2, "TRL DPO on 2 pairs"),
                ProgressLines.step(Map.of("step", 1, "total_steps", 1, "loss", 0.5, "tokens", 80)),
                ProgressLines.finished(1, Map.of("loss", 0.5)));
        cluster.writeModel(job);
        cluster.trainJobCondition("tsr-train-7", "Complete", "JobSetCompleted", "jobset completed successfully");

        TrainedModel model = attempt.result.get(20, TimeUnit.SECONDS);

        assertThat(model.steps()).isEqualTo(1);
        assertThat(cluster.progress.steps())
                .as("only node 0's lines")
                .extracting(step -> step.loss())
                .containsExactly(0.5);
        assertThat(checkpoints.resolve("models/job-7/config.json")).isRegularFile();
    }

    @Test
    void aFailedTrainJobFailsTheJobWithItsReasonAndTheTrainers() {
        PreparedJob job = cluster.job(7, new TrainerSettings(TrainingExecutor.KUBEFLOW, 1, 1, null));
        TrainingCluster.Attempt attempt = cluster.train(cluster.execution(TrainingExecutor.KUBEFLOW), job);
        eventually(() -> cluster.trainJob("tsr-train-7"));
        cluster.runningPod("tsr-train-7-node-0-0-abcde", node(0), "node");
        cluster.print(
                "tsr-train-7-node-0-0-abcde",
                ProgressLines.failed("OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", null));
        cluster.podTerminated("tsr-train-7-node-0-0-abcde", "node", 1, "Error");
        cluster.trainJobCondition("tsr-train-7", "Failed", "JobSetFailed", "jobset failed");

        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the TrainJob tsr-train-7 failed: JobSetFailed: jobset failed")
                .hasMessageContaining("container node Error (exit code 1)")
                .hasMessageContaining("the trainer said: OutOfMemoryError: CUDA out of memory");
    }
}

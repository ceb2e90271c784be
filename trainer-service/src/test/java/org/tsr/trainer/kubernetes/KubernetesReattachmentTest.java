package org.tsr.trainer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tsr.trainer.kubernetes.TrainingCluster.eventually;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.execution.TrainingCancelledException;
import org.tsr.trainer.export.ProgressLines;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.TrainedModel;

/** A trainer-service that restarts finds its workloads again; a cancelled run takes its workload down. */
@EnableKubernetesMockClient(crud = true)
class KubernetesReattachmentTest {

    static final Map<String, String> POD_LABELS = Map.of("app.kubernetes.io/instance", "tsr-train-7");

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path checkpoints;

    TrainingCluster cluster;
    PreparedJob job;

    @BeforeEach
    void cluster() {
        cluster = new TrainingCluster(server, client, checkpoints);
        job = cluster.job(7, new TrainerSettings(TrainingExecutor.KUBERNETES_JOB, 1, 1, null));
    }

    /** The Job a trainer-service created before it was restarted, its pod running and its first lines logged. */
    private String jobOfAnEarlierAttempt() {
        BatchJobWorkload workload =
                new BatchJobWorkload(client, TrainingCluster.NAMESPACE, cluster.properties(null), 8);
        HasMetadata earlier = workload.manifest("tsr-train-7", job, checkpoints.resolve("jobs/7/export"));
        workload.create(earlier);
        cluster.runningPod("tsr-train-7-x2k9f", POD_LABELS, "trainer");
        cluster.print(
                "tsr-train-7-x2k9f",
                ProgressLines.started(3, 2, "DPO on 2 pairs"),
                ProgressLines.step(Map.of("step", 1, "total_steps", 3, "loss", 0.69, "tokens", 40)));
        return cluster.job("tsr-train-7").getMetadata().getUid();
    }

    @Test
    void aRestartedTrainerFollowsTheRunningJobWithoutSubmittingItAgain() throws Exception {
        String uid = jobOfAnEarlierAttempt();

        TrainingCluster.Attempt attempt = cluster.train(cluster.execution(TrainingExecutor.KUBERNETES_JOB), job);
        // once the follower has read the workload (and the log there was before it came), the trainer goes on
        eventually(() -> cluster.progress.log().stream().anyMatch(line -> line.startsWith("batch Job tsr-train-7: ")));
        cluster.print(
                "tsr-train-7-x2k9f",
                ProgressLines.step(Map.of("step", 2, "total_steps", 3, "loss", 0.6, "tokens", 40)),
                ProgressLines.step(Map.of("step", 3, "total_steps", 3, "loss", 0.5, "tokens", 40)),
                ProgressLines.finished(3, Map.of("loss", 0.5)));
        cluster.writeModel(job);
        cluster.podTerminated("tsr-train-7-x2k9f", "trainer", 0, "Completed");
        cluster.jobCondition("tsr-train-7", "Complete", null, null);

        TrainedModel model = attempt.result.get(20, TimeUnit.SECONDS);

        assertThat(model.steps()).isEqualTo(3);
        assertThat(attempt.reattached).as("the attempt is given back once").hasValue(1);
        assertThat(cluster.job("tsr-train-7").getMetadata().getUid())
                .as("the same Job, not a second one")
                .isEqualTo(uid);
        assertThat(checkpoints.resolve("jobs/7/export/job.json"))
                .as("the running pod's export is left as it is")
                .doesNotExist();
        assertThat(cluster.progress.workload()).isEqualTo("tsr-train-7");
        assertThat(cluster.progress.steps())
                .as("the steps logged before the restart were recorded by the attempt that saw them")
                .extracting(step -> step.step())
                .containsExactly(2, 3);
        assertThat(cluster.progress.log()).contains("re-attached to the running batch Job tsr-train-7");
    }

    @Test
    void aJobThatFinishedWhileTheTrainerWasDownIsPublishedOnReattachment() throws Exception {
        jobOfAnEarlierAttempt();
        cluster.print("tsr-train-7-x2k9f", ProgressLines.finished(3, Map.of("loss", 0.5)));
        cluster.writeModel(job);
        cluster.podTerminated("tsr-train-7-x2k9f", "trainer", 0, "Completed");
        cluster.jobCondition("tsr-train-7", "Complete", null, null);

        TrainedModel model = cluster.train(cluster.execution(TrainingExecutor.KUBERNETES_JOB), job)
                .result
                .get(20, TimeUnit.SECONDS);

        assertThat(model.steps())
                .as("from the finished line logged before the restart")
                .isEqualTo(3);
        assertThat(checkpoints.resolve("models/job-7/config.json")).isRegularFile();
    }

    @Test
    void cancellingTheRunDeletesTheJobAndStopsFollowingIt() {
        TrainingCluster.Attempt attempt = cluster.train(cluster.execution(TrainingExecutor.KUBERNETES_JOB), job);
        eventually(() -> cluster.job("tsr-train-7"));
        cluster.runningPod("tsr-train-7-x2k9f", POD_LABELS, "trainer");
        cluster.print("tsr-train-7-x2k9f", ProgressLines.started(3, 2, "DPO on 2 pairs"));
        eventually(() -> cluster.progress.totalSteps() == 3);

        attempt.cancelled.set(true);

        assertThatThrownBy(() -> attempt.result.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(TrainingCancelledException.class)
                .hasMessage("the run was cancelled; trainer-service deleted the batch Job tsr-train-7");
        assertThat(cluster.job("tsr-train-7")).isNull();
    }
}

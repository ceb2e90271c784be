package org.tsr.trainer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.execution.ExecutionFixtures;
import org.tsr.trainer.execution.ImportedModels;
import org.tsr.trainer.execution.JobExportWriter;
import org.tsr.trainer.execution.TrainingExecution;
import org.tsr.trainer.job.JobProgress;
import org.tsr.trainer.job.PreparedJobs;
import org.tsr.trainer.job.RecordingJobProgress;
import org.tsr.trainer.job.RemoteProgressFactory;
import org.tsr.trainer.storage.CheckpointStorage;

class KubernetesTrainingConfigurationTest {

    @TempDir
    static Path checkpoints;

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Collaborators.class, KubernetesTrainingConfiguration.class)
            .withPropertyValues("tsr.trainer.kubernetes.namespace=tsr");

    /** What the executors need from the rest of trainer-service, without a database. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({KubernetesProperties.class, TrainerProperties.class})
    static class Collaborators {

        final RecordingJobProgress progress = new RecordingJobProgress();
        final CheckpointStorage storage = new FolderStorage(checkpoints);

        @Bean
        JobExportWriter exports() {
            return ExecutionFixtures.exportWriter(storage);
        }

        @Bean
        PreparedJobs jobs() {
            return RecordingJobProgress.publishingTo(storage);
        }

        @Bean
        JobProgress progress() {
            return progress;
        }

        @Bean
        RemoteProgressFactory remotes() {
            return progress.remote();
        }

        @Bean
        ImportedModels imports(TrainerProperties properties) {
            return ExecutionFixtures.importedModels(properties);
        }
    }

    @Test
    void offByDefaultThereIsNeitherAClientNorAKubernetesExecutor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(KubernetesClient.class);
            assertThat(context).doesNotHaveBean(TrainingExecution.class);
        });
    }

    @Test
    void enabledBothExecutorsShareOneClient() {
        runner.withPropertyValues("tsr.trainer.kubernetes.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(KubernetesClient.class);
            assertThat(context.getBeansOfType(TrainingExecution.class).values())
                    .extracting(TrainingExecution::executor)
                    .containsExactlyInAnyOrder(TrainingExecutor.KUBERNETES_JOB, TrainingExecutor.KUBEFLOW);
        });
    }

    @Test
    void theEnvironmentVariablesOfTheGpuOverlayBind() {
        Map<String, Object> env = Map.of(
                "TSR_TRAINER_KUBERNETES_ENABLED", "true",
                "TSR_TRAINER_KUBERNETES_JOB_IMAGE", "tsr/trainer-service:0.1.0-cu128",
                "TSR_TRAINER_KUBERNETES_KUBEFLOW_RUNTIME", "tsr-trl-torch-distributed",
                "TSR_TRAINER_KUBERNETES_KUBEFLOW_RUNTIMEKIND", "TrainingRuntime",
                "TSR_TRAINER_KUBERNETES_CHECKPOINTS_MOUNTPATH", "/var/lib/tsr/checkpoints",
                "TSR_TRAINER_KUBERNETES_PODS_NODESELECTOR", "nvidia.com/gpu.present=true",
                "TSR_TRAINER_KUBERNETES_PODS_TOLERATIONS_0_KEY", "nvidia.com/gpu",
                "TSR_TRAINER_KUBERNETES_PODS_TOLERATIONS_0_EFFECT", "NoSchedule");
        runner.withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .replace(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                new SystemEnvironmentPropertySource(
                                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
                .run(context -> {
                    KubernetesProperties properties = context.getBean(KubernetesProperties.class);
                    assertThat(properties.enabled()).isTrue();
                    assertThat(properties.job().image()).isEqualTo("tsr/trainer-service:0.1.0-cu128");
                    assertThat(properties.kubeflow().runtime()).isEqualTo("tsr-trl-torch-distributed");
                    assertThat(properties.kubeflow().runtimeKind()).isEqualTo("TrainingRuntime");
                    assertThat(properties.checkpoints().mountPath()).isEqualTo(Path.of("/var/lib/tsr/checkpoints"));
                    assertThat(properties.pods().nodeSelector()).containsExactly("nvidia.com/gpu.present=true");
                    assertThat(properties.pods().tolerations())
                            .containsExactly(new KubernetesProperties.Toleration(
                                    "nvidia.com/gpu", "Exists", null, "NoSchedule"));
                });
    }

    @Test
    void badValuesFailAtStartupNamingEachProperty() {
        runner.withPropertyValues(
                        "tsr.trainer.kubernetes.poll-interval=0s",
                        "tsr.trainer.kubernetes.log-tail-lines=0",
                        "tsr.trainer.kubernetes.job.image=Not An Image",
                        "tsr.trainer.kubernetes.kubeflow.runtime-kind=Runtime",
                        "tsr.trainer.kubernetes.pods.memory=lots",
                        "tsr.trainer.kubernetes.pods.node-selector=nvidia.com/gpu.present")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("field 'pollInterval'")
                        .hasMessageContaining("field 'logTailLines'")
                        .hasMessageContaining("field 'job.image'")
                        .hasMessageContaining("field 'kubeflow.runtimeKind'")
                        .hasMessageContaining("field 'pods.memory'")
                        .hasMessageContaining("field 'pods.nodeSelector[0]'"));
    }
}

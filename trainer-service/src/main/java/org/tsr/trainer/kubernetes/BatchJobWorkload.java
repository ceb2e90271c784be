package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.execution.JavaCommand;
import org.tsr.trainer.job.InvalidTrainingJobException;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.process.TrainingProcess;

/**
 * The kubernetes-job executor's workload: a batch/v1 Job whose one pod runs the project's trainer
 * ({@link TrainingProcess}) from the trainer image on the job's export folder, on one node and at most one GPU (the
 * engine trains on one device).
 */
final class BatchJobWorkload implements Workload {

    static final String CONTAINER = "trainer";
    /** Where the Dockerfile extracts the application's layers, Spring Boot's launcher among them. */
    static final String APP_DIR = "/app";
    /** The trainer image's user and group (the Dockerfile's tsr). */
    static final long IMAGE_USER = 10001L;
    /** TrainingProcess's exit status for a job that cannot be trained as written: retrying cannot help. */
    static final int EXIT_INVALID_JOB = 2;

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesProperties properties;
    private final int referenceBatchPairs;

    BatchJobWorkload(
            KubernetesClient client, String namespace, KubernetesProperties properties, int referenceBatchPairs) {
        this.client = client;
        this.namespace = namespace;
        this.properties = properties;
        this.referenceBatchPairs = referenceBatchPairs;
    }

    @Override
    public TrainingExecutor executor() {
        return TrainingExecutor.KUBERNETES_JOB;
    }

    @Override
    public String kind() {
        return "batch Job";
    }

    @Override
    public HasMetadata manifest(String name, PreparedJob job, Path exportFolder) {
        TrainerSettings trainer = job.export().trainer();
        if (trainer.nodes() != null && trainer.nodes() > 1) {
            throw InvalidTrainingJobException.invalid(
                    "trainer.nodes",
                    "the kubernetes-job executor trains on one node; the kubeflow executor trains on "
                            + trainer.nodes());
        }
        int gpus = trainer.gpusPerNode() == null ? 0 : trainer.gpusPerNode();
        if (gpus > 1) {
            throw InvalidTrainingJobException.invalid(
                    "trainer.gpusPerNode",
                    "the kubernetes-job executor's engine trains on one GPU; the kubeflow executor uses " + gpus
                            + " per node");
        }
        Map<String, String> labels = Workload.labels(name);
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(properties.job().backoffLimit())
                .withActiveDeadlineSeconds(
                        properties.deadline() == null
                                ? null
                                : properties.deadline().toSeconds())
                // a preempted or evicted pod is replaced without using up the back-off limit, and resumes from the
                // training checkpoint; a job the trainer finds invalid fails at once, whatever the limit
                .withNewPodFailurePolicy()
                .addNewRule()
                .withAction("Ignore")
                .addNewOnPodCondition("True", "DisruptionTarget")
                .endRule()
                .addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(CONTAINER)
                .withOperator("In")
                .withValues(EXIT_INVALID_JOB)
                .endOnExitCodes()
                .endRule()
                .endPodFailurePolicy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withSpec(podSpec(trainer(trainer, exportFolder, gpus)))
                .endTemplate()
                .endSpec()
                .build();
    }

    private PodSpec podSpec(Container trainer) {
        KubernetesProperties.Pods pods = properties.pods();
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withServiceAccountName(pods.serviceAccount())
                // the trainer reads and writes files only: no token for the Kubernetes API in its pod
                .withAutomountServiceAccountToken(false)
                .withNodeSelector(TrainingPods.nodeSelector(pods))
                .withTolerations(TrainingPods.tolerations(pods))
                // the image's user; its group owns what the pod writes to the shared volume, as it does for the
                // services that read and publish it
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(IMAGE_USER)
                .withRunAsGroup(IMAGE_USER)
                .withFsGroup(IMAGE_USER)
                .endSecurityContext()
                .withContainers(trainer)
                .addNewVolume()
                .withName("checkpoints")
                .withNewPersistentVolumeClaim()
                .withClaimName(properties.checkpoints().claim())
                .endPersistentVolumeClaim()
                .endVolume()
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                // the CPU image unpacks libtorch here (DJL_CACHE_DIR) on its first start
                .addNewVolume()
                .withName("djl-cache")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity("4Gi"))
                .endEmptyDir()
                .endVolume()
                .build();
    }

    private Container trainer(TrainerSettings trainer, Path exportFolder, int gpus) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(Workload.image(trainer, properties.job().image(), properties.allowedImages()))
                .withCommand(command())
                .withArgs(arguments(exportFolder, gpus))
                .withResources(TrainingPods.resources(properties.pods(), gpus))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("checkpoints")
                .withMountPath(properties.checkpoints().mountPath().toString())
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("djl-cache")
                .withMountPath("/var/cache/djl")
                .endVolumeMount()
                .build();
    }

    /**
     * The trainer from the image's extracted jar: Spring Boot's PropertiesLauncher starts the main class named by
     * {@code loader.main} on the application's classpath, as the process executor does from the jar itself.
     */
    static List<String> command() {
        return List.of(
                "java", "-Dloader.main=" + TrainingProcess.class.getName(), "-cp", APP_DIR, JavaCommand.BOOT_LAUNCHER);
    }

    private List<String> arguments(Path exportFolder, int gpus) {
        List<String> arguments = new ArrayList<>();
        arguments.add(exportFolder.toString());
        arguments.add("--device");
        arguments.add(gpus > 0 ? "gpu0" : "cpu");
        arguments.add("--reference-batch-pairs");
        arguments.add(Integer.toString(referenceBatchPairs));
        return arguments;
    }

    @Override
    public void create(HasMetadata manifest) {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .resource((Job) manifest)
                .create();
    }

    @Override
    public Optional<WorkloadStatus> status(String name) {
        return Optional.ofNullable(job(name).get()).map(BatchJobWorkload::statusOf);
    }

    static WorkloadStatus statusOf(Job job) {
        JobStatus status = job.getStatus();
        if (status == null) {
            return new WorkloadStatus(WorkloadStatus.Phase.PENDING, null);
        }
        for (JobCondition condition : status.getConditions()) {
            if (!"True".equals(condition.getStatus())) {
                continue;
            }
            switch (condition.getType()) {
                case "Complete" -> {
                    return new WorkloadStatus(WorkloadStatus.Phase.SUCCEEDED, null);
                }
                case "Failed" -> {
                    return new WorkloadStatus(
                            WorkloadStatus.Phase.FAILED,
                            WorkloadStatus.detail(condition.getReason(), condition.getMessage()));
                }
                case "Suspended" -> {
                    return new WorkloadStatus(WorkloadStatus.Phase.PENDING, "suspended");
                }
                default -> {
                    // SuccessCriteriaMet and FailureTarget come before Complete and Failed: wait for those
                }
            }
        }
        boolean active = status.getActive() != null && status.getActive() > 0;
        return new WorkloadStatus(active ? WorkloadStatus.Phase.RUNNING : WorkloadStatus.Phase.PENDING, null);
    }

    @Override
    public String createdAt(String name) {
        return WorkloadResource.createdAt(job(name));
    }

    @Override
    public void delete(String name) {
        WorkloadResource.delete(job(name));
    }

    @Override
    public Watch watch(String name, Runnable changed, Runnable closed) {
        return WorkloadResource.watch(job(name), changed, closed);
    }

    @Override
    public Map<String, String> podLabels(String name) {
        return Map.of("app.kubernetes.io/instance", name);
    }

    @Override
    public String trainerContainer() {
        return CONTAINER;
    }

    private Resource<Job> job(String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name);
    }
}

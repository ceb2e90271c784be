package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.job.PreparedJob;

/**
 * The kubeflow executor's workload: a Kubeflow Trainer v2 TrainJob ({@code trainer.kubeflow.org/v1alpha1}) that runs
 * the TRL entry point on the job's export folder, on the run's nodes with its GPUs on each.
 *
 * <p>The spec follows kubeflow/trainer's {@code pkg/apis/trainer/v1alpha1/trainjob_types.go}: {@code runtimeRef}
 * (name, apiGroup, kind; the kind defaults to ClusterTrainingRuntime), {@code trainer} (image, command, args,
 * numNodes, resourcesPerNode) and, since v2.2, {@code activeDeadlineSeconds}; its status has the conditions Complete,
 * Failed and Suspended. The volume is not in the TrainJob: v2.2 replaced PodTemplateOverrides with RuntimePatches
 * (kubeflow/trainer CHANGELOG, v2.2.0), so either field would tie the TrainJob to one range of Trainer versions; the
 * runtime it refers to mounts the checkpoints claim instead (k8s/overlays/gpu/training-runtime.yaml). The torch
 * runtime's pods are a JobSet's, labelled {@code jobset.sigs.k8s.io/jobset-name} with the TrainJob's name; node 0's
 * pod (job completion index 0) is torchrun's master, and the one whose log carries the progress lines
 * ({@code pkg/runtime/framework/plugins/torch/torch.go}).
 */
final class TrainJobWorkload implements Workload {

    static final String API_GROUP = "trainer.kubeflow.org";
    static final String API_VERSION = API_GROUP + "/v1alpha1";
    static final String KIND = "TrainJob";
    static final ResourceDefinitionContext TRAIN_JOBS = new ResourceDefinitionContext.Builder()
            .withGroup(API_GROUP)
            .withVersion("v1alpha1")
            .withKind(KIND)
            .withPlural("trainjobs")
            .withNamespaced(true)
            .build();
    /** The trainer container of the torch runtimes. */
    static final String CONTAINER = "node";

    static final String JOBSET_NAME_LABEL = "jobset.sigs.k8s.io/jobset-name";

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesProperties properties;

    TrainJobWorkload(KubernetesClient client, String namespace, KubernetesProperties properties) {
        this.client = client;
        this.namespace = namespace;
        this.properties = properties;
    }

    @Override
    public TrainingExecutor executor() {
        return TrainingExecutor.KUBEFLOW;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public HasMetadata manifest(String name, PreparedJob job, Path exportFolder) {
        TrainerSettings trainer = job.export().trainer();
        KubernetesProperties.Kubeflow kubeflow = properties.kubeflow();
        int gpus = trainer.gpusPerNode() == null ? 0 : trainer.gpusPerNode();
        Map<String, Object> runtimeRef = new LinkedHashMap<>();
        runtimeRef.put("name", kubeflow.runtime());
        runtimeRef.put("apiGroup", API_GROUP);
        runtimeRef.put("kind", kubeflow.runtimeKind());
        Map<String, Object> trainerSpec = new LinkedHashMap<>();
        trainerSpec.put("image", Workload.image(trainer, kubeflow.image(), properties.allowedImages()));
        trainerSpec.put("command", kubeflow.command());
        trainerSpec.put("args", List.of(exportFolder.toString()));
        trainerSpec.put("numNodes", trainer.nodes() == null ? 1 : trainer.nodes());
        trainerSpec.put("resourcesPerNode", quantities(TrainingPods.resources(properties.pods(), gpus)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("runtimeRef", runtimeRef);
        spec.put("trainer", trainerSpec);
        if (properties.deadline() != null) {
            spec.put("activeDeadlineSeconds", properties.deadline().toSeconds());
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Workload.labels(name))
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /** Resource requirements as the TrainJob's JSON has them: quantities as strings. */
    private static Map<String, Object> quantities(ResourceRequirements resources) {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, String> requests = new LinkedHashMap<>();
        resources.getRequests().forEach((name, quantity) -> requests.put(name, quantity.toString()));
        Map<String, String> limits = new LinkedHashMap<>();
        resources.getLimits().forEach((name, quantity) -> limits.put(name, quantity.toString()));
        map.put("requests", requests);
        map.put("limits", limits);
        return map;
    }

    @Override
    public void create(HasMetadata manifest) {
        trainJobs().resource((GenericKubernetesResource) manifest).create();
    }

    @Override
    public Optional<WorkloadStatus> status(String name) {
        return Optional.ofNullable(trainJob(name).get()).map(TrainJobWorkload::statusOf);
    }

    @SuppressWarnings("unchecked")
    static WorkloadStatus statusOf(GenericKubernetesResource trainJob) {
        Object status = trainJob.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map)) {
            return new WorkloadStatus(WorkloadStatus.Phase.PENDING, null);
        }
        Object conditions = map.get("conditions");
        if (conditions instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> condition = (Map<String, Object>) item;
                if (!"True".equals(condition.get("status"))) {
                    continue;
                }
                String detail =
                        WorkloadStatus.detail((String) condition.get("reason"), (String) condition.get("message"));
                switch (String.valueOf(condition.get("type"))) {
                    case "Complete" -> {
                        return new WorkloadStatus(WorkloadStatus.Phase.SUCCEEDED, null);
                    }
                    case "Failed" -> {
                        return new WorkloadStatus(WorkloadStatus.Phase.FAILED, detail);
                    }
                    case "Suspended" -> {
                        return new WorkloadStatus(WorkloadStatus.Phase.PENDING, "suspended");
                    }
                    default -> {
                        // a condition this version does not know says nothing about the end
                    }
                }
            }
        }
        return new WorkloadStatus(active(map.get("jobsStatus")), null);
    }

    /** Running once any of its child Jobs has an active pod. */
    private static WorkloadStatus.Phase active(Object jobsStatus) {
        if (jobsStatus instanceof List<?> jobs) {
            for (Object job : jobs) {
                if (job instanceof Map<?, ?> map
                        && map.get("active") instanceof Number active
                        && active.intValue() > 0) {
                    return WorkloadStatus.Phase.RUNNING;
                }
            }
        }
        return WorkloadStatus.Phase.PENDING;
    }

    @Override
    public String createdAt(String name) {
        return WorkloadResource.createdAt(trainJob(name));
    }

    @Override
    public void delete(String name) {
        WorkloadResource.delete(trainJob(name));
    }

    @Override
    public Watch watch(String name, Runnable changed, Runnable closed) {
        return WorkloadResource.watch(trainJob(name), changed, closed);
    }

    @Override
    public Map<String, String> podLabels(String name) {
        return Map.of(JOBSET_NAME_LABEL, name);
    }

    @Override
    public String trainerContainer() {
        return CONTAINER;
    }

    private NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            trainJobs() {
        return client.genericKubernetesResources(TRAIN_JOBS).inNamespace(namespace);
    }

    private Resource<GenericKubernetesResource> trainJob(String name) {
        return trainJobs().withName(name);
    }
}

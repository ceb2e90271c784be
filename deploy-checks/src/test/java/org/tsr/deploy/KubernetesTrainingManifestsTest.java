package org.tsr.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tsr.deploy.KubernetesManifestsTest.all;
import static org.tsr.deploy.KubernetesManifestsTest.json;
import static org.tsr.deploy.KubernetesManifestsTest.matches;
import static org.tsr.deploy.KubernetesManifestsTest.named;
import static org.tsr.deploy.KubernetesManifestsTest.render;
import static org.tsr.deploy.KubernetesManifestsTest.typed;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * trainer-service on the Kubernetes executors (the gpu overlay): the account it runs as may manage its training
 * workloads and read their pods' logs and nothing else; its executors name an image and a training runtime the overlay
 * has; and every pod that reads or writes checkpoints, the training runtime's included, mounts the one ReadWriteMany
 * volume at one path, so that a job export's absolute paths mean the same files everywhere.
 */
class KubernetesTrainingManifestsTest {

    static final String CHECKPOINTS = "/var/lib/tsr/checkpoints";
    static final Set<String> MANAGE = Set.of("create", "get", "list", "watch", "delete");
    static final Set<String> READ = Set.of("get", "list", "watch");

    @Test
    void theTrainersAccountMayManageJobsAndTrainJobsAndReadPodsAndTheirLogsOnly() {
        List<HasMetadata> objects = typed(render("gpu"));
        PodSpec trainer = named(objects, Deployment.class, "trainer-service")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(trainer.getServiceAccountName()).isEqualTo("trainer-service");
        assertThat(trainer.getAutomountServiceAccountToken()).isTrue();
        named(objects, ServiceAccount.class, "trainer-service");

        List<RoleBinding> bindings = all(objects, RoleBinding.class).stream()
                .filter(binding -> binding.getSubjects().stream()
                        .anyMatch(subject -> subject.getKind().equals("ServiceAccount")
                                && subject.getName().equals("trainer-service")
                                && subject.getNamespace().equals("tsr")))
                .toList();
        assertThat(bindings)
                .singleElement()
                .satisfies(binding -> assertThat(binding.getRoleRef().getKind()).isEqualTo("Role"));
        Role role = named(objects, Role.class, bindings.get(0).getRoleRef().getName());
        Map<String, Set<String>> verbs = new HashMap<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    verbs.computeIfAbsent(group + "/" + resource, key -> new TreeSet<>())
                            .addAll(rule.getVerbs());
                }
            }
        }
        assertThat(verbs)
                .containsOnlyKeys("batch/jobs", "trainer.kubeflow.org/trainjobs", "/pods", "/pods/log")
                .containsEntry("batch/jobs", new TreeSet<>(MANAGE))
                .containsEntry("trainer.kubeflow.org/trainjobs", new TreeSet<>(MANAGE))
                .containsEntry("/pods", new TreeSet<>(READ))
                .containsEntry("/pods/log", new TreeSet<>(READ));
    }

    @Test
    void onCpusTheTrainerHasNoTokenForTheApiAndNoKubernetesExecutors() {
        List<HasMetadata> objects = typed(render("cpu"));
        PodSpec trainer = named(objects, Deployment.class, "trainer-service")
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(trainer.getAutomountServiceAccountToken()).isFalse();
        assertThat(all(objects, Role.class)).isEmpty();
        assertThat(all(objects, RoleBinding.class)).isEmpty();
        assertThat(env(trainer.getContainers().get(0))).doesNotContainKey("TSR_TRAINER_KUBERNETES_ENABLED");
    }

    @Test
    void theTrainersExecutorsNameAPinnedTrainerImageAndTheRuntimeTheOverlayHas() {
        List<HasMetadata> objects = typed(render("gpu"));
        Container trainer = named(objects, Deployment.class, "trainer-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        Map<String, String> env = env(trainer);
        assertThat(env)
                .containsEntry("TSR_TRAINER_KUBERNETES_ENABLED", "true")
                .containsEntry("TSR_TRAINER_EXECUTOR", "kubernetes-job")
                .containsEntry("TSR_TRAINER_GPUS_PER_NODE", "1")
                .containsEntry("TSR_TRAINER_KUBERNETES_KUBEFLOW_RUNTIMEKIND", "TrainingRuntime")
                .containsEntry("TSR_TRAINER_KUBERNETES_CHECKPOINTS_MOUNTPATH", CHECKPOINTS);
        assertThat(trainer.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        String jobImage = env.get("TSR_TRAINER_KUBERNETES_JOB_IMAGE");
        assertThat(RepositoryFiles.pinned(jobImage)).as(jobImage).isTrue();
        assertThat(jobImage).startsWith("tsr/trainer-service:").endsWith("-cu128");
        assertThat(named(objects, ConfigMap.class, "tsr-config").getData())
                .as("the trainer's checkpoint folder is on the volume the pods mount")
                .containsEntry("TSR_TRAINER_CHECKPOINT_DIR", CHECKPOINTS);

        GenericKubernetesResource runtime =
                named(objects, GenericKubernetesResource.class, env.get("TSR_TRAINER_KUBERNETES_KUBEFLOW_RUNTIME"));
        assertThat(runtime.getApiVersion()).isEqualTo("trainer.kubeflow.org/v1alpha1");
        assertThat(runtime.getKind()).isEqualTo("TrainingRuntime");
        PodSpec pod = runtimePod(runtime).getSpec();
        Container node = pod.getContainers().stream()
                .filter(container -> container.getName().equals("node"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the torch runtime's trainer container is named node"));
        assertThat(node.getImage()).isEqualTo(env.get("TSR_TRAINER_KUBERNETES_KUBEFLOW_IMAGE"));
        assertThat(RepositoryFiles.pinned(node.getImage())).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(mountsOf(pod, node, env.get("TSR_TRAINER_KUBERNETES_CHECKPOINTS_CLAIM")))
                .containsExactly(CHECKPOINTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyPodThatUsesCheckpointsMountsTheOneVolumeAtTheSamePath(String overlay) {
        List<HasMetadata> objects = typed(render(overlay));
        for (String service :
                List.of("gateway", "generator-service", "judge-service", "pairing-service", "trainer-service")) {
            PodSpec pod = named(objects, Deployment.class, service)
                    .getSpec()
                    .getTemplate()
                    .getSpec();
            assertThat(mountsOf(pod, pod.getContainers().get(0), "tsr-checkpoints"))
                    .as(overlay + " " + service)
                    .containsExactly(CHECKPOINTS);
        }
        for (GenericKubernetesResource runtime : all(objects, GenericKubernetesResource.class)) {
            if (runtime.getKind().equals("TrainingRuntime")) {
                PodSpec pod = runtimePod(runtime).getSpec();
                assertThat(mountsOf(pod, pod.getContainers().get(0), "tsr-checkpoints"))
                        .containsExactly(CHECKPOINTS);
            }
        }
    }

    @Test
    void trainingPodsTakeConnectionsFromEachOtherOnly() {
        List<HasMetadata> objects = typed(render("gpu"));
        Map<String, String> trainingPod = runtimePod(
                        named(objects, GenericKubernetesResource.class, "tsr-trl-torch-distributed"))
                .getMetadata()
                .getLabels();

        List<NetworkPolicy> admitting = all(objects, NetworkPolicy.class).stream()
                .filter(policy -> matches(policy.getSpec().getPodSelector(), trainingPod))
                .filter(policy -> !policy.getSpec().getIngress().isEmpty())
                .toList();

        assertThat(admitting)
                .singleElement()
                .satisfies(policy -> assertThat(policy.getSpec().getIngress())
                        .allSatisfy(rule -> assertThat(rule.getFrom()).allSatisfy(peer -> {
                            assertThat(peer.getNamespaceSelector()).isNull();
                            assertThat(matches(peer.getPodSelector(), trainingPod))
                                    .isTrue();
                        })));
    }

    /** The pod template of the runtime's "node" replicated Job. */
    @SuppressWarnings("unchecked")
    static PodTemplateSpec runtimePod(GenericKubernetesResource runtime) {
        List<Map<String, Object>> jobs =
                RepositoryFiles.at(runtime.getAdditionalProperties(), "spec", "template", "spec", "replicatedJobs");
        Map<String, Object> node = jobs.stream()
                .filter(job -> "node".equals(job.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the runtime has no replicated Job named node"));
        return json.convertValue(RepositoryFiles.at(node, "template", "spec", "template"), PodTemplateSpec.class);
    }

    /** Where the container mounts the volumes of the pod that come from the claim. */
    static List<String> mountsOf(PodSpec pod, Container container, String claim) {
        Set<String> volumes = new TreeSet<>();
        for (Volume volume : pod.getVolumes()) {
            if (volume.getPersistentVolumeClaim() != null
                    && volume.getPersistentVolumeClaim().getClaimName().equals(claim)) {
                volumes.add(volume.getName());
            }
        }
        return container.getVolumeMounts().stream()
                .filter(mount -> volumes.contains(mount.getName()))
                .map(mount -> mount.getMountPath())
                .toList();
    }

    static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            }
        }
        return env;
    }
}

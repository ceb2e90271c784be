package org.tsr.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tsr.deploy.KubernetesManifestsTest.all;
import static org.tsr.deploy.KubernetesManifestsTest.matches;
import static org.tsr.deploy.KubernetesManifestsTest.named;
import static org.tsr.deploy.KubernetesManifestsTest.typed;
import static org.tsr.deploy.KubernetesManifestsTest.workloads;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The components vllm and vllm-lora on top of the gpu overlay, as docs/deployment.md ("Serving generations with vLLM")
 * tells users to add them: vLLM serves a generation's folder from the checkpoints volume, read-only and at the
 * services' path, from a pinned image, on a GPU, non-root, ready only when /health answers, reachable only from the
 * generator and the judge; and the allow-list setting the docs name is one the services bind.
 */
class KubernetesVllmManifestsTest {

    private static final String CHECKPOINTS = "/var/lib/tsr/checkpoints";

    @Test
    void theComponentServesAGenerationFolderFromTheCheckpointsClaimReadOnly() throws IOException {
        List<HasMetadata> objects = gpuOverlayWith("vllm");
        PodSpec pod =
                named(objects, Deployment.class, "vllm").getSpec().getTemplate().getSpec();
        Container vllm = pod.getContainers().get(0);

        Volume checkpoints = pod.getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null)
                .collect(onlyOne());
        assertThat(checkpoints.getPersistentVolumeClaim().getClaimName()).isEqualTo("tsr-checkpoints");
        assertThat(checkpoints.getPersistentVolumeClaim().getReadOnly()).isTrue();
        VolumeMount mount = vllm.getVolumeMounts().stream()
                .filter(m -> m.getName().equals(checkpoints.getName()))
                .collect(onlyOne());
        assertThat(mount.getMountPath())
                .as("the services' path, so a generation's checkpointUri names the same folder")
                .isEqualTo(CHECKPOINTS)
                .isEqualTo(
                        named(objects, ConfigMap.class, "tsr-config").getData().get("TSR_TRAINER_CHECKPOINT_DIR"));
        assertThat(mount.getReadOnly()).isTrue();

        Map<String, String> model =
                named(objects, ConfigMap.class, "vllm-model").getData();
        assertThat(model.get("model")).startsWith(CHECKPOINTS + "/");
        assertThat(vllm.getArgs())
                .containsExactly(
                        "--model=$(TSR_VLLM_MODEL)",
                        "--served-model-name=$(TSR_VLLM_SERVED_MODEL_NAME)",
                        "--port=8000");
        assertThat(configMapRef(vllm, "TSR_VLLM_MODEL")).isEqualTo("vllm-model/model");
        assertThat(configMapRef(vllm, "TSR_VLLM_SERVED_MODEL_NAME")).isEqualTo("vllm-model/served-model-name");
        EnvVar apiKey = env(vllm, "VLLM_API_KEY");
        assertThat(apiKey.getValueFrom().getSecretKeyRef().getName() + "/"
                        + apiKey.getValueFrom().getSecretKeyRef().getKey())
                .as("the key the generator and judge send")
                .isEqualTo("tsr-api-keys/inference-api-key");
        assertThat(pod.getEnableServiceLinks())
                .as("no VLLM_PORT=tcp://... from the Service named vllm")
                .isFalse();
    }

    @Test
    void vllmRunsAPinnedImageOnOneGpuNonRootAndIsReadyOnlyWhenHealthy() throws IOException {
        List<HasMetadata> objects = gpuOverlayWith("vllm");
        Deployment deployment = named(objects, Deployment.class, "vllm");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container vllm = pod.getContainers().get(0);

        assertThat(vllm.getImage()).startsWith("vllm/vllm-openai:v");
        assertThat(RepositoryFiles.pinned(vllm.getImage())).as(vllm.getImage()).isTrue();
        assertThat(vllm.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(vllm.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(vllm.getResources().getRequests()).containsKeys("cpu", "memory", "nvidia.com/gpu");
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(deployment.getSpec().getStrategy().getType())
                .as("a rolling update would need a second GPU")
                .isEqualTo("Recreate");

        assertThat(vllm.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(vllm.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(vllm.getReadinessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo(vllm.getPorts().get(0).getName());
        assertThat(vllm.getPorts().get(0).getContainerPort()).isEqualTo(8000);
        Service service = named(objects, Service.class, "vllm");
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8000);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(vllm.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(vllm.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void onlyTheGeneratorAndTheJudgeReachVllm() throws IOException {
        List<HasMetadata> objects = gpuOverlayWith("vllm");
        Map<String, String> vllmLabels = named(objects, Deployment.class, "vllm")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        List<NetworkPolicy> selecting = all(objects, NetworkPolicy.class).stream()
                .filter(policy -> matches(policy.getSpec().getPodSelector(), vllmLabels))
                .toList();
        assertThat(selecting)
                .extracting(policy -> policy.getMetadata().getName())
                .as("the platform's deny-all and vLLM's own")
                .containsExactlyInAnyOrder("tsr-deny-ingress", "vllm-from-generator-and-judge");
        List<String> admitted = workloads(objects).stream()
                .filter(workload -> selecting.stream()
                        .flatMap(policy -> policy.getSpec().getIngress().stream())
                        .anyMatch(rule ->
                                admits(rule, workload.template().getMetadata().getLabels())))
                .map(KubernetesManifestsTest.Workload::name)
                .toList();
        assertThat(admitted).containsExactlyInAnyOrder("generator-service", "judge-service");
        for (NetworkPolicy policy : selecting) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(rule.getFrom()).as("no rule open to all").isNotEmpty();
                assertThat(rule.getFrom())
                        .allSatisfy(
                                peer -> assertThat(peer.getNamespaceSelector()).isNull())
                        .allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull());
            }
        }
    }

    @Test
    void theLoraComponentServesTheAdapterOnTopOfTheModelUnderItsOwnName() throws IOException {
        List<HasMetadata> objects = gpuOverlayWith("vllm", "vllm-lora");
        Container vllm = named(objects, Deployment.class, "vllm")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(vllm.getArgs())
                .containsExactly(
                        "--model=$(TSR_VLLM_MODEL)",
                        "--served-model-name=$(TSR_VLLM_SERVED_MODEL_NAME)",
                        "--port=8000",
                        "--enable-lora",
                        "--lora-modules=$(TSR_VLLM_SERVED_MODEL_NAME)-lora=$(TSR_VLLM_ADAPTER)");
        assertThat(configMapRef(vllm, "TSR_VLLM_ADAPTER")).isEqualTo("vllm-model/adapter");
        assertThat(vllm.getVolumeMounts())
                .filteredOn(m -> m.getMountPath().equals(CHECKPOINTS))
                .singleElement()
                .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    }

    @Test
    void theJavaRenderingOfTheComponentsAgreesWithKubectl() throws IOException {
        assumeTrue(Kustomize.kubectl().isPresent(), "kubectl is not installed");
        Path overlay = overlayWith("vllm", "vllm-lora");
        assertThat(Kustomize.inJava(overlay))
                .containsExactlyInAnyOrderElementsOf(
                        Kustomize.withKubectl(Kustomize.kubectl().get(), overlay));
    }

    @Test
    void theAllowListTheDocsNameIsBoundByTheServicesThatCallVllm() {
        String docs = RepositoryFiles.read(RepositoryFiles.path("docs/deployment.md"));
        assertThat(docs)
                .contains("tsr.inference.remote.allowed-hosts")
                .contains("TSR_INFERENCE_REMOTE_ALLOWEDHOSTS")
                .contains("http://vllm:8000/v1#");
        // the generator and judge bind tsr.inference.remote.* (InferenceProperties.Remote), the gateway checks the
        // same list when a generation is registered (RemoteInferenceHosts)
        String inference = RepositoryFiles.read(
                RepositoryFiles.path("inference/src/main/java/org/tsr/inference/InferenceProperties.java"));
        assertThat(inference)
                .contains("@ConfigurationProperties(\"tsr.inference\")")
                .contains("Remote remote")
                .containsPattern("String>\\s+allowedHosts\\)");
        String gateway = RepositoryFiles.read(
                RepositoryFiles.path("gateway/src/main/java/org/tsr/gateway/generations/RemoteInferenceHosts.java"));
        assertThat(gateway)
                .contains("@ConfigurationProperties(\"tsr.inference.remote\")")
                .contains("allowedHosts");
        for (String service : List.of("generator-service", "judge-service")) {
            assertThat(RepositoryFiles.read(RepositoryFiles.path(service + "/pom.xml")))
                    .as(service + " uses the inference module")
                    .contains("<artifactId>inference</artifactId>");
        }
        // the ConfigMap every service reads allows the vllm Service's host, the one the docs register
        assertThat(named(typed(KubernetesManifestsTest.render("gpu")), ConfigMap.class, "tsr-config")
                        .getData()
                        .get("TSR_INFERENCE_REMOTE_ALLOWEDHOSTS")
                        .split(","))
                .contains("vllm");
    }

    private static List<HasMetadata> gpuOverlayWith(String... components) throws IOException {
        return typed(KubernetesManifestsTest.render(overlayWith(components)));
    }

    /** An overlay as the docs describe it: the gpu overlay with the components added. */
    private static Path overlayWith(String... components) throws IOException {
        Path overlay = Files.createTempDirectory(RepositoryFiles.path("deploy-checks/target"), "vllm");
        Path root = RepositoryFiles.root();
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                resources: [%s]
                components: [%s]
                """.formatted(
                        overlay.relativize(root.resolve("k8s/overlays/gpu")),
                        Arrays.stream(components)
                                .map(c -> overlay.relativize(root.resolve("k8s/components/" + c))
                                        .toString())
                                .collect(Collectors.joining(", "))));
        return overlay;
    }

    private static boolean admits(NetworkPolicyIngressRule rule, Map<String, String> labels) {
        if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : rule.getFrom()) {
            if (peer.getPodSelector() != null
                    && peer.getNamespaceSelector() == null
                    && matches(peer.getPodSelector(), labels)) {
                return true;
            }
        }
        return false;
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    private static String configMapRef(Container container, String name) {
        var ref = env(container, name).getValueFrom().getConfigMapKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static <T> java.util.stream.Collector<T, ?, T> onlyOne() {
        return Collectors.collectingAndThen(Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.get(0);
        });
    }
}

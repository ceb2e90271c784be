package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a training pod asks of its node, from the configuration and the run's GPUs per node. */
final class TrainingPods {

    private TrainingPods() {}

    /**
     * CPU and memory requested, memory limited to the request (a pod that outgrows it is OOMKilled, which its job's
     * error then names, rather than starving its node), and the GPUs both requested and limited, as extended
     * resources must be.
     */
    static ResourceRequirements resources(KubernetesProperties.Pods pods, int gpus) {
        ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(pods.cpu()))
                .addToRequests("memory", new Quantity(pods.memory()))
                .addToLimits("memory", new Quantity(pods.memory()));
        if (gpus > 0) {
            resources
                    .addToRequests(pods.gpuResource(), new Quantity(Integer.toString(gpus)))
                    .addToLimits(pods.gpuResource(), new Quantity(Integer.toString(gpus)));
        }
        return resources.build();
    }

    /** The node selector's {@code label=value} entries as the pod spec's map; null for none. */
    static Map<String, String> nodeSelector(KubernetesProperties.Pods pods) {
        if (pods.nodeSelector().isEmpty()) {
            return null;
        }
        Map<String, String> selector = new LinkedHashMap<>();
        for (String entry : pods.nodeSelector()) {
            int equals = entry.indexOf('=');
            selector.put(
                    entry.substring(0, equals).strip(),
                    entry.substring(equals + 1).strip());
        }
        return selector;
    }

    static List<Toleration> tolerations(KubernetesProperties.Pods pods) {
        return pods.tolerations().stream()
                .map(toleration -> new TolerationBuilder()
                        .withKey(toleration.key())
                        .withOperator(toleration.operator())
                        .withValue(toleration.value())
                        .withEffect(toleration.effect())
                        .build())
                .toList();
    }
}

package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.execution.ImportedModels;
import org.tsr.trainer.execution.JobExportWriter;
import org.tsr.trainer.job.JobProgress;
import org.tsr.trainer.job.PreparedJobs;
import org.tsr.trainer.job.RemoteProgressFactory;

/**
 * The kubernetes-job and kubeflow executors, and the client they share, only where
 * {@code tsr.trainer.kubernetes.enabled=true}: a trainer-service outside a cluster starts without them, and a run that
 * asks for them fails naming the executors it has.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "tsr.trainer.kubernetes", name = "enabled", havingValue = "true")
class KubernetesTrainingConfiguration {

    /** In a pod, the service account's token and namespace; elsewhere the kubeconfig, as kubectl finds it. */
    @Bean(destroyMethod = "close")
    KubernetesClient trainingKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    KubernetesExecution kubernetesJobExecution(
            KubernetesClient client,
            KubernetesProperties properties,
            TrainerProperties trainer,
            JobExportWriter exports,
            PreparedJobs jobs,
            JobProgress progress,
            RemoteProgressFactory remotes,
            ImportedModels imports) {
        String namespace = namespace(client, properties);
        return new KubernetesExecution(
                new BatchJobWorkload(client, namespace, properties, trainer.referenceBatchPairs()),
                new WorkloadFollower(client, namespace, properties),
                properties,
                exports,
                jobs,
                progress,
                remotes,
                imports);
    }

    @Bean
    KubernetesExecution kubeflowExecution(
            KubernetesClient client,
            KubernetesProperties properties,
            JobExportWriter exports,
            PreparedJobs jobs,
            JobProgress progress,
            RemoteProgressFactory remotes,
            ImportedModels imports) {
        String namespace = namespace(client, properties);
        return new KubernetesExecution(
                new TrainJobWorkload(client, namespace, properties),
                new WorkloadFollower(client, namespace, properties),
                properties,
                exports,
                jobs,
                progress,
                remotes,
                imports);
    }

    static String namespace(KubernetesClient client, KubernetesProperties properties) {
        if (properties.namespace() != null && !properties.namespace().isBlank()) {
            return properties.namespace();
        }
        return client.getNamespace() != null ? client.getNamespace() : "default";
    }
}

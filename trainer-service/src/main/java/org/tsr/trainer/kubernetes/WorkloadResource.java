package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;

/** What a batch Job and a TrainJob do alike, as the resource of one workload. */
final class WorkloadResource {

    private WorkloadResource() {}

    /** When the workload was created, as the API server wrote it; null if it does not exist. */
    static String createdAt(Resource<? extends HasMetadata> resource) {
        HasMetadata workload = resource.get();
        return workload == null ? null : workload.getMetadata().getCreationTimestamp();
    }

    /** Deletes the workload and, in the background, the pods it made. */
    static void delete(Resource<? extends HasMetadata> resource) {
        resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    static <T extends HasMetadata> Watch watch(Resource<T> resource, Runnable changed, Runnable closed) {
        return resource.watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action action, T workload) {
                changed.run();
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.run();
            }
        });
    }
}

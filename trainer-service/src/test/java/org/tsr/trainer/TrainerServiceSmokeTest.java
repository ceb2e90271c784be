package org.tsr.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.testkit.ServiceSmokeTest;
import org.tsr.trainer.execution.TrainingExecution;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainerServiceSmokeTest extends ServiceSmokeTest {

    @Autowired
    ApplicationContext context;

    @Test
    void startsWithoutAKubernetesClientOrExecutorsUnlessTheyAreEnabled() {
        assertThat(context.getBeansOfType(KubernetesClient.class)).isEmpty();
        assertThat(context.getBeansOfType(TrainingExecution.class).values())
                .extracting(TrainingExecution::executor)
                .containsExactlyInAnyOrder(TrainingExecutor.EMBEDDED, TrainingExecutor.PROCESS);
    }
}

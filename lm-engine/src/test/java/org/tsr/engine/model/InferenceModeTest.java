package org.tsr.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InferenceModeTest {

    @Test
    void switchesGradientRecordingOffForTheCallingThreadAndRestoresIt() throws Exception {
        Engine.getEngine("PyTorch"); // loads the native library
        AtomicReference<boolean[]> seen = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            boolean before = JniUtils.isGradMode();
            boolean inside;
            try (InferenceMode mode = InferenceMode.enter()) {
                inside = JniUtils.isGradMode();
            }
            seen.set(new boolean[] {before, inside, JniUtils.isGradMode()});
        });
        worker.start();
        worker.join();

        assertThat(seen.get()[0]).as("a new thread records gradients").isTrue();
        assertThat(seen.get()[1]).isFalse();
        assertThat(seen.get()[2]).isTrue();
    }
}

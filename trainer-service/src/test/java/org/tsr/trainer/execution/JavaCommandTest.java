package org.tsr.trainer.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.trainer.process.TrainingProcess;

/** The trainer process starts from whatever this service runs from: a classpath, a Boot jar, an image's folder. */
class JavaCommandTest {

    static final String MAIN = TrainingProcess.class.getName();

    @TempDir
    Path folder;

    @Test
    void aPlainClasspathRunsTheMainClassDirectly() {
        String classPath = "a.jar" + File.pathSeparator + "classes";

        List<String> command =
                JavaCommand.of(TrainingProcess.class, List.of("-Xmx1g"), List.of("/x/export"), classPath);

        assertThat(command.get(0)).endsWith("java");
        assertThat(command)
                .containsSequence("-cp", classPath, MAIN, "/x/export")
                .contains("-Xmx1g");
        assertThat(command).noneMatch(argument -> argument.startsWith("-Dloader.main"));
    }

    @Test
    void aBootJarRunsItThroughThePropertiesLauncher() throws Exception {
        Path jar = folder.resolve("service-exec.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Start-Class", "org.tsr.standalone.TsrApplication");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // a manifest is all it takes
        }

        List<String> command = JavaCommand.of(TrainingProcess.class, List.of(), List.of("/x/export"), jar.toString());

        assertThat(command)
                .contains("-Dloader.main=" + MAIN)
                .containsSequence("-cp", jar.toString(), JavaCommand.BOOT_LAUNCHER, "/x/export");
    }

    @Test
    void aContainerImagesExtractedJarRunsThroughThePropertiesLauncherToo() throws Exception {
        Files.createDirectories(folder.resolve("BOOT-INF").resolve("classes"));

        List<String> command =
                JavaCommand.of(TrainingProcess.class, List.of(), List.of("/x/export"), folder.toString());

        assertThat(command)
                .contains("-Dloader.main=" + MAIN)
                .containsSequence("-cp", folder.toString(), JavaCommand.BOOT_LAUNCHER, "/x/export");
    }
}

package org.tsr.trainer.execution;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The command that runs a main class of this application in a new JVM, on the classpath this one runs from: the
 * plain classpath (tests, an IDE), or the Spring Boot executable jar through its {@code PropertiesLauncher}, which
 * starts any main class in the jar ({@code -Dloader.main}).
 */
public final class JavaCommand {

    public static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private JavaCommand() {}

    static List<String> of(Class<?> main, List<String> jvmOptions, List<String> arguments) {
        return of(main, jvmOptions, arguments, System.getProperty("java.class.path"));
    }

    static List<String> of(Class<?> main, List<String> jvmOptions, List<String> arguments, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(inheritedOptions());
        if (isBootLayout(classPath)) {
            command.add("-Dloader.main=" + main.getName());
            command.add("-cp");
            command.add(classPath);
            command.add(BOOT_LAUNCHER);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(main.getName());
        }
        command.addAll(arguments);
        return command;
    }

    /** The engine's settings (DJL offline, its cache, native access) travel to the child as they are here. */
    private static List<String> inheritedOptions() {
        List<String> options = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name ->
                        name.startsWith("ai.djl.") || name.equals("DJL_CACHE_DIR") || name.equals("ENGINE_CACHE_DIR"))
                .sorted()
                .forEach(name -> options.add("-D" + name + "=" + System.getProperty(name)));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--enable-native-access") || argument.startsWith("--add-opens"))
                .forEach(options::add);
        return options;
    }

    /**
     * A Spring Boot executable jar, or the folder a container image extracts it into ({@code java -Djarmode=tools
     * extract}: the classes under {@code BOOT-INF/}, started with the launcher from that folder).
     */
    private static boolean isBootLayout(String classPath) {
        if (classPath == null || classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator)) {
            return false;
        }
        Path entry = Path.of(classPath);
        if (Files.isDirectory(entry)) {
            return Files.isDirectory(entry.resolve("BOOT-INF"));
        }
        return classPath.endsWith(".jar") && Files.isRegularFile(entry) && hasStartClass(entry);
    }

    private static boolean hasStartClass(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null
                    && file.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }
}

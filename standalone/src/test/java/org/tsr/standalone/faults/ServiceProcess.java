package org.tsr.standalone.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tsr.standalone.Platform.Service;

/**
 * One service of the platform in an operating-system process of its own, started with the arguments the platform
 * gives it, so that it can be killed the way a node failure or the kernel's out-of-memory killer kills it: SIGKILL,
 * no shutdown hook, no graceful stop, leases left behind.
 */
final class ServiceProcess {

    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final int port;
    private final List<String> arguments;
    private final Path log;
    private Process process;
    private volatile boolean up;
    private int starts;

    ServiceProcess(Service service, int port, List<String> arguments, Path log) {
        this.service = service;
        this.port = port;
        this.arguments = List.copyOf(arguments);
        this.log = log;
    }

    Service service() {
        return service;
    }

    int port() {
        return port;
    }

    /** The operating-system id of the running process, which work-unit leases name. */
    synchronized long pid() {
        return process.pid();
    }

    /** Starts the process; its output is appended to the service's log file. */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(service + " is running");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                service.application().getName()));
        command.addAll(arguments);
        Files.writeString(
                log,
                "==== start " + (++starts) + " ====\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        up = false;
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL, then waits until the process is gone. */
    synchronized void kill() throws InterruptedException {
        up = false;
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(service + " did not die within 30 s of SIGKILL");
        }
    }

    /** Waits until the service answers its health check; fails if the process died first. */
    void awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (!current.isAlive()) {
                throw new IllegalStateException(service + " exited with " + current.exitValue() + "; see " + log);
            }
            if (healthy()) {
                up = true;
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(service + " did not become healthy within " + timeout + "; see " + log);
    }

    /** Whether the process answered its last health check and has not been killed since. */
    boolean isUp() {
        return up;
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the process for good at the end of a test: SIGTERM, then SIGKILL if it lingers. */
    synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** The last lines the service wrote, for a failure message. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

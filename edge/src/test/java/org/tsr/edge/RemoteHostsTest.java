package org.tsr.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteHostsTest {

    @Test
    void nothingIsAllowedByDefault() {
        assertThat(RemoteHosts.of(List.of()).allows(URI.create("http://vllm:8000/v1")))
                .isFalse();
        assertThat(RemoteHosts.of(null).refusal(URI.create("http://169.254.169.254/latest")))
                .contains("host '169.254.169.254' is not an allowed inference server")
                .contains("allowed now: none");
    }

    @Test
    void hostsMatchExactlyIgnoringCaseAndWildcardsMatchSubdomainsOnly() {
        RemoteHosts hosts = RemoteHosts.of(List.of(" VLLM ", "*.inference.example.org"));

        assertThat(hosts.allows(URI.create("http://vllm:8000/v1"))).isTrue();
        assertThat(hosts.allows(URI.create("http://vllm.evil.test:8000/v1"))).isFalse();
        assertThat(hosts.allows(URI.create("https://a.inference.example.org/v1")))
                .isTrue();
        assertThat(hosts.allows(URI.create("https://inference.example.org/v1"))).isFalse();
        assertThat(hosts.allows(URI.create("https://evilinference.example.org/v1")))
                .isFalse();
        assertThat(hosts.allows(URI.create("file:///etc/passwd"))).isFalse();
    }
}

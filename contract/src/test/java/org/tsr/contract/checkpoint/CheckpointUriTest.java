package org.tsr.contract.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointUriTest {

    @Test
    void aFileUriAndAPlainPathNameTheSameFolder() {
        assertThat(CheckpointUri.folder("file:///models/m0")).isEqualTo(Path.of("/models/m0"));
        assertThat(CheckpointUri.folder("/models/m0")).isEqualTo(Path.of("/models/m0"));
    }

    @Test
    void aRemoteUriNamesItsServerAndServedModel() {
        CheckpointUri.Remote remote = CheckpointUri.remote("http://vllm:8000/v1/#meta-llama/Llama-3.1-8B-Instruct");
        assertThat(remote.baseUrl()).isEqualTo(URI.create("http://vllm:8000/v1"));
        assertThat(remote.model()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void aRemoteUriWithoutModelSchemeHostOrWithCredentialsIsRefusedSayingWhy() {
        assertThatThrownBy(() -> CheckpointUri.remote("http://vllm:8000/v1")).hasMessageContaining("after '#'");
        assertThatThrownBy(() -> CheckpointUri.remote("ftp://vllm/v1#m")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> CheckpointUri.remote("http://user:pw@vllm/v1#m"))
                .hasMessageContaining("without user information");
        assertThatThrownBy(() -> CheckpointUri.remote("http://vllm/v1?x=1#m")).hasMessageContaining("a query");
    }
}

package org.tsr.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class ServiceCredentialTest {

    @Test
    void aShortTokenIsRefusedNamingThePropertyButNotTheSecret() {
        ServiceCredential credential = new ServiceCredential(" short-secret ");

        assertThatIllegalStateException()
                .isThrownBy(credential::requireToken)
                .withMessageStartingWith("tsr.service-auth.token (environment TSR_SERVICE_AUTH_TOKEN) must be set")
                .withMessageNotContaining("short-secret");
    }

    @Test
    void aMissingTokenIsRefusedNamingTheProperty() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new ServiceCredential(null).requireToken())
                .withMessageContaining("tsr.service-auth.token");
    }

    @Test
    void aLongEnoughTokenIsStrippedAndSentAsABearerToken() {
        ServiceCredential credential = new ServiceCredential(" 0123456789abcdef\n");

        assertThat(credential.authorizationHeader()).isEqualTo("Bearer 0123456789abcdef");
        assertThat(credential.matches("0123456789abcdef")).isTrue();
        assertThat(credential.matches("0123456789abcdeF")).isFalse();
    }
}

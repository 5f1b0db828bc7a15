package io.flinkcommander.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoncesTest {

    @Test
    void theSameCommandIdAlwaysGivesTheSamePositiveNonce() {
        assertThat(Nonces.nonce("7d9f0c1e")).isEqualTo(Nonces.nonce("7d9f0c1e")).isPositive();
        assertThat(Nonces.nonce("7d9f0c1e")).isNotEqualTo(Nonces.nonce("7d9f0c1f"));
    }

    @Test
    void suffixesAreTenLowerCaseHexCharacters() {
        assertThat(Nonces.suffix("any id")).matches("[0-9a-f]{10}").isEqualTo(Nonces.suffix("any id"));
    }
}

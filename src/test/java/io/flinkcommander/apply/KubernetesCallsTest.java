package io.flinkcommander.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClientException;

class KubernetesCallsTest {

    private final List<Integer> errorCodes = new ArrayList<>();
    private final KubernetesCalls calls = new KubernetesCalls(Duration.ofSeconds(5), Duration.ofMillis(1),
            errorCodes::add);

    @Test
    void aConnectionClosedMidRequestIsRetriedNotFinal() {
        AtomicInteger attempts = new AtomicInteger();

        String answer = calls.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                // What fabric8 throws when the connection closes under a request: code -1, no status.
                throw new KubernetesClientException("Connection was closed", new IOException("closed"));
            }
            return "written";
        });

        assertThat(answer).isEqualTo("written");
        assertThat(attempts).hasValue(3);
        assertThat(errorCodes).as("counted as no answer").containsExactly(0, 0);
    }

    @Test
    void aRefusalWithAnHttpStatusIsFinal() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> calls.call(() -> {
            attempts.incrementAndGet();
            throw new KubernetesClientException("forbidden", 403, null);
        })).isInstanceOf(KubernetesClientException.class);

        assertThat(attempts).hasValue(1);
    }
}

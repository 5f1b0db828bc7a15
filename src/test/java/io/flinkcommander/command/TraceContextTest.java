package io.flinkcommander.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidTraceparentIsKeptWithItsTracestateAndNamesItsTraceId() {
        TraceContext trace = TraceContext.of(VALID, "rojo=00f067aa0ba902b7");

        assertThat(trace).isEqualTo(new TraceContext(VALID, "rojo=00f067aa0ba902b7"));
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void invalidTraceparentsAreIgnoredAsW3cRequires() {
        assertThat(TraceContext.of(null, "rojo=1")).isNull();
        assertThat(TraceContext.of("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", null)).isNull();
        assertThat(TraceContext.of("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null)).isNull();
        assertThat(TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null)).isNull();
        assertThat(TraceContext.of("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null)).isNull();
        assertThat(TraceContext.of(VALID + "-extra", null)).as("version 00 has exactly four fields").isNull();
        assertThat(TraceContext.of("00-abc-def-01", null)).isNull();
    }

    @Test
    void aLaterVersionMayCarryMoreFields() {
        assertThat(TraceContext.of("01" + VALID.substring(2) + "-what-comes-next", null)).isNotNull();
    }

    @Test
    void anEmptyOrOversizedTracestateIsDropped() {
        assertThat(TraceContext.of(VALID, " ").tracestate()).isNull();
        assertThat(TraceContext.of(VALID, "k=" + "v".repeat(600)).tracestate()).isNull();
    }
}

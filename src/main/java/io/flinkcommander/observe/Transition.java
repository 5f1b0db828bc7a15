package io.flinkcommander.observe;

import java.util.List;

import io.flinkcommander.events.Observation;

/** What to publish about one resource, and the mark to remember once it is published. */
public record Transition(List<Observation> observations, LastPublished mark) {
    public Transition {
        observations = List.copyOf(observations);
    }
}

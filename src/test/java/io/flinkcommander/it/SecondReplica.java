package io.flinkcommander.it;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.events.EventPublisher;
import io.flinkcommander.events.ObservedEvents;
import io.flinkcommander.events.TopicReadBack;
import io.flinkcommander.observe.ResourceObserver;
import io.quarkus.arc.Arc;

/**
 * The observer a second replica of the service would run: the service's configuration and Kafka
 * edges, its own Kubernetes client and informers. Start it, then hand it the lead directly or
 * through a {@link io.flinkcommander.observe.Leadership} of its own; stop it when done.
 */
final class SecondReplica {

    private SecondReplica() {
    }

    static ResourceObserver observer(KubernetesClient client) {
        var beans = Arc.container();
        return new ResourceObserver(client, beans.instance(CommanderConfig.class).get(),
                beans.instance(ObservedEvents.class).get(), beans.instance(EventPublisher.class).get(),
                beans.instance(ObjectMapper.class).get(), beans.instance(TopicReadBack.class).get());
    }
}

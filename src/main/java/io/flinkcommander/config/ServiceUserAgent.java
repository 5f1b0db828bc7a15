package io.flinkcommander.config;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;

/**
 * Every request this service makes to the Kubernetes API says who made it:
 * {@code User-Agent: flink-commander/<version>}. The API server's audit log then tells the
 * service's writes from a person's {@code kubectl}, and the test platform tells the service's
 * requests from its own fixtures' (to check them against the RBAC Role and to inject faults).
 */
@Singleton
public class ServiceUserAgent implements KubernetesConfigCustomizer {

    /** The product part of the user agent; what follows the slash is the version. */
    public static final String PRODUCT = "flink-commander";

    private final String version;

    public ServiceUserAgent(@ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.version = version;
    }

    @Override
    public void customize(Config config) {
        config.setUserAgent(PRODUCT + "/" + version);
    }
}

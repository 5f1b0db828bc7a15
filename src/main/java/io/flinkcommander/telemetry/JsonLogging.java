package io.flinkcommander.telemetry;

import java.util.logging.Formatter;
import java.util.logging.Handler;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

import io.flinkcommander.config.CommanderConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Switches the console to {@link JsonLogFormatter} when {@code commander.telemetry.json-logs} is on.
 * Quarkus' own JSON logging extension is not available in this build's Maven repository, so the
 * formatter is set on the console handlers Quarkus configured, as the first thing at startup:
 * only Quarkus' own boot lines before it are in the readable format.
 */
@ApplicationScoped
public class JsonLogging {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start, CommanderConfig config) {
        if (config.telemetry().jsonLogs()) {
            install(LogContext.getLogContext().getLogger("").getHandlers(), new JsonLogFormatter());
        }
    }

    /** Sets the formatter on every console handler, also inside wrapping (async, delayed) handlers. */
    static int install(Handler[] handlers, Formatter formatter) {
        int installed = 0;
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(formatter);
                installed++;
            } else if (handler instanceof ExtHandler wrapper) {
                installed += install(wrapper.getHandlers(), formatter);
            }
        }
        return installed;
    }
}

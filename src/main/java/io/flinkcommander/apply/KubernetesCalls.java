package io.flinkcommander.apply;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Runs one call to the Kubernetes API, retrying what is worth retrying: 5xx, 429 and broken
 * connections, with doubling pauses until a deadline. A 409 Conflict is passed up at once (the
 * caller re-reads and decides again); any other refusal is final.
 */
final class KubernetesCalls {

    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(KubernetesCalls.class);
    /** The budget of the command running on this thread, if it was given one (see {@link #within}). */
    private static final ThreadLocal<Budget> BUDGET = new ThreadLocal<>();

    private final Duration deadline;
    private final Duration firstPause;
    private final IntConsumer errors;

    /** @param errors told the HTTP code of every failed call (0: no answer), for metrics */
    KubernetesCalls(Duration deadline, Duration firstPause, IntConsumer errors) {
        this.deadline = deadline;
        this.firstPause = firstPause;
        this.errors = errors;
    }

    /**
     * Runs {@code work} (one command, on this thread) with every call in it giving up at
     * {@code budget} from now instead of each call having the whole deadline: the pipeline gives a
     * command a short in-line budget, and a parked command what is left of its deadline.
     */
    <T> T within(Duration budget, Supplier<T> work) {
        Budget outer = BUDGET.get();
        BUDGET.set(new Budget(budget, System.nanoTime() + budget.toNanos()));
        try {
            return work.get();
        } finally {
            BUDGET.set(outer);
        }
    }

    <T> T call(Supplier<T> call) {
        Budget budget = BUDGET.get();
        Duration limit = budget != null ? budget.length() : deadline;
        long giveUpAt = budget != null ? budget.endNanos() : System.nanoTime() + deadline.toNanos();
        Duration pause = firstPause;
        while (true) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                errors.accept(Math.max(0, e.getCode()));
                if (!isTransient(e)) {
                    throw e;
                }
                long left = giveUpAt - System.nanoTime();
                if (left <= 0) {
                    throw new ApiUnavailable(limit, e);
                }
                LOG.warnf("Kubernetes API call failed (%s); retrying in %d ms", describe(e), Math.min(pause.toMillis(), left / 1_000_000));
                // The last pause is cut to what is left, so that the deadline is used to its end.
                pauseFor(pause.toNanos() > left ? Duration.ofNanos(left) : pause);
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** 10 ms, 20 ms, ... up to 200 ms, each with ±50 % jitter: racing writers stop colliding in step. */
    static void pauseBeforeConflictRetry(int attempt) {
        long base = Math.min(200, 10L * (attempt + 1));
        long pause = base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base + 1);
        try {
            TimeUnit.MILLISECONDS.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == 409;
    }

    private static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        // No HTTP answer at all (refused, reset, closed, timed out): fabric8 says 0 or -1, the
        // latter for a connection closed mid-request ("Connection was closed").
        return code <= 0 || code == 429 || code >= 500;
    }

    private static void pauseFor(Duration pause) {
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiUnavailable(pause, new KubernetesClientException("interrupted while retrying", e));
        }
    }

    private record Budget(Duration length, long endNanos) {
    }

    /** The API kept failing past the deadline. */
    static final class ApiUnavailable extends RuntimeException {
        private final Duration tried;
        private final String lastError;

        ApiUnavailable(Duration tried, KubernetesClientException last) {
            super(Outcome.Unavailable.reason(tried, describe(last)), last);
            this.tried = tried;
            this.lastError = describe(last);
        }

        Outcome.Unavailable outcome() {
            return new Outcome.Unavailable(tried, lastError);
        }
    }

    static String describe(KubernetesClientException e) {
        String status = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + status;
    }
}

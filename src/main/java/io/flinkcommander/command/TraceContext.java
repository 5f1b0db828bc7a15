package io.flinkcommander.command;

import java.util.regex.Pattern;

/**
 * W3C Trace Context of a command: {@code traceparent} and, optionally, {@code tracestate}. The
 * service starts no spans of its own, so it passes the command's context on unchanged to every
 * event the command causes (results, lifecycle, savepoint and scaling events): their consumers'
 * spans become children of the span that sent the command, in the same trace.
 *
 * @param tracestate vendor data, or null; only ever kept together with a valid traceparent
 */
public record TraceContext(String traceparent, String tracestate) {

    /**
     * {@code version-traceid-parentid-flags}, lower-case hex. A later version may append fields
     * after a dash; version {@code ff} is forbidden.
     */
    private static final Pattern TRACEPARENT = Pattern.compile(
            "(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
    /** W3C allows 32 list members; a longer value may be cut, and we would rather drop it than store it. */
    private static final int MAX_TRACESTATE = 512;

    /**
     * The context, or null when there is no valid traceparent: W3C says to ignore an invalid one
     * (and its tracestate) rather than pass it on.
     */
    public static TraceContext of(String traceparent, String tracestate) {
        if (traceparent == null) {
            return null;
        }
        String parent = traceparent.trim();
        boolean version00 = parent.startsWith("00-");
        if (!TRACEPARENT.matcher(parent).matches() || (version00 && parent.length() != 55)) {
            return null;
        }
        String state = tracestate == null || tracestate.isBlank() || tracestate.length() > MAX_TRACESTATE
                ? null
                : tracestate.trim();
        return new TraceContext(parent, state);
    }

    /** The 32 hex digits every event of one trace shares. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }
}

package io.vigil.benchmarks;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Stands in for an exporting span processor: spans are sampled and recorded for real, then counted instead of
 * queued for export. Cheaper than any real processor, so it favours the OpenTelemetry peer.
 */
final class CountingSpanProcessor implements SpanProcessor {

    private final LongAdder ended = new LongAdder();

    long ended() {
        return ended.sum();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        ended.increment();
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }
}

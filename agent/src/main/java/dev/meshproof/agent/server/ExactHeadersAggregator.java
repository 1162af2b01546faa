package dev.meshproof.agent.server;

import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, minus one thing: it adds {@code content-length: 0} to requests that had none, and the echo
 * must reflect exactly the headers the client (or the mesh) sent.
 */
final class ExactHeadersAggregator extends HttpObjectAggregator {
    ExactHeadersAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void finishAggregation(FullHttpMessage aggregated) {
        // deliberately leaves the headers as received
    }
}

package dev.reactivekit.core.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound allowances for the test JVMs only (loaded by BlockHound's service loader when the JUnit platform
 * integration installs it). Logging writes synchronously to the console; a warning logged from an event loop
 * in a test must not be mistaken for a blocking call in the code under test.
 */
public final class TestBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
    }
}

package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailuresTest {

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 599, 408, 429})
    void serverFailuresTimeoutsAndThrottlingAreTransient(int status) {
        assertThat(Failures.isTransient(new StatusException("HTTP " + status, status))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 422, 501, 505, 302})
    void clientErrorsAndNeverImplementedAreNot(int status) {
        assertThat(Failures.isTransient(new StatusException("HTTP " + status, status))).isFalse();
        assertThat(Failures.isPermanent(new StatusException("HTTP " + status, status))).isTrue();
    }

    @Test
    void networkHiccupsAndTimeoutsAreTransient() {
        for (Throwable t : List.of(new ConnectException("refused"), new SocketException("Connection reset"),
                new SocketTimeoutException(), new ClosedChannelException(), new EOFException(), new TimeoutException(),
                new OperationTimeoutException("op", Duration.ofSeconds(1), null), new TransientException("t"))) {
            assertThat(Failures.isTransient(t)).as(t.toString()).isTrue();
        }
    }

    @Test
    void badInputBugsAndExhaustedWorkAreNot() {
        for (Throwable t : List.of(new IllegalArgumentException(), new NullPointerException(),
                new UnknownHostException("nowhere"), new FileNotFoundException(), new IOException("generic"),
                new PermanentException("p"), new DeadlineExceededException("op", Duration.ofSeconds(1), null),
                new RetriesExhaustedException("op", 3, new TransientException("t")))) {
            assertThat(Failures.isTransient(t)).as(t.toString()).isFalse();
        }
    }

    @Test
    void wrappersAreLookedThrough() {
        assertThat(Failures.isTransient(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(Failures.isTransient(new TaskFailedException(0, "x", new StatusException("503", 503)))).isTrue();
        assertThat(Failures.isTransient(new TaskFailedException(0, "x", new StatusException("404", 404)))).isFalse();
    }

    @Test
    void theFirstClassifiedErrorInTheCauseChainDecides() {
        // A permanent error caused by a transient one stays permanent.
        assertThat(Failures.isTransient(new PermanentException("bad", new ConnectException()))).isFalse();
    }

    @Test
    void isTimeoutRecognisesEveryKindOfTimeout() {
        assertThat(Failures.isTimeout(new DeadlineExceededException("op", Duration.ofSeconds(1), null))).isTrue();
        assertThat(Failures.isTimeout(new RuntimeException(new SocketTimeoutException()))).isTrue();
        assertThat(Failures.isTimeout(new ConnectException())).isFalse();
    }
}

package dev.reactivekit.data;

import dev.reactivekit.core.testing.ApiDump;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module's public API is the one committed in {@code api/reactive-data.api}: a change to it is a reviewed diff. */
class ApiSignatureTest {

    @Test
    void thePublicApiIsTheCommittedOne() {
        ApiDump.verify(Path.of("target", "classes"), Path.of("api", "reactive-data.api"));
    }
}

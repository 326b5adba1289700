package example;

import dev.reactivekit.data.sql.Database;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.http.ServerReply;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A user's application, run as {@code java --module-path ... --module example/example.Main}: ReactiveKit's HTTP
 * server and client and a SQLite query as records. Prints one line and exits 0 when every answer is right.
 */
public final class Main {

    record Answer(long n, String word) {
    }

    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(30);
        RunningService server = HttpService.builder().port(0)
                .get("/", request -> Mono.just(ServerReply.text("hello")))
                .build().start().block(wait);
        HttpFetcher http = HttpFetcher.create();
        String body = http.get(server.url("/")).map(FetchResult::text).block(wait);
        http.close().block(wait);
        server.close(Duration.ofSeconds(1)).block(wait);

        Database db = Database.connect("sqlite::memory:").block(wait);
        Answer answer = db.queryOne("SELECT 42 AS n, 'yes' AS word", Answer.class).block(wait);
        db.close().block(wait);

        if (!"hello".equals(body) || !new Answer(42, "yes").equals(answer)) {
            System.out.println("wrong answers: " + body + ", " + answer);
            System.exit(1);
        }
        System.out.println("on the module path: " + body + ", " + answer + ", " + Database.class.getModule());
    }
}

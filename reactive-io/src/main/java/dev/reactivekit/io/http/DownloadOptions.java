package dev.reactivekit.io.http;

/**
 * How {@link HttpFetcher#download(HttpRequest, java.nio.file.Path, DownloadOptions)} and
 * {@link HttpFetcher#downloadInto} write a body to a file; immutable, built with {@link #builder()}.
 * <ul>
 *   <li><b>resume</b> (false): the bytes received go to a partial file kept when the download fails or is
 *       cancelled ({@code .NAME.part} beside the target; {@code .download-HASH.part} in the directory for
 *       {@code downloadInto}, named from the URL), and the next download of the same URL continues from it with a
 *       {@code Range} request (as {@code wget -c} and {@code curl -C -} do). A server that answers with the whole
 *       body (200) or refuses the range (416) is downloaded again from the start. The server's file is assumed
 *       not to have changed in between. Without it, a failed or cancelled download leaves nothing behind.</li>
 * </ul>
 */
public final class DownloadOptions {

    private static final DownloadOptions DEFAULTS = builder().build();

    private final boolean resume;

    private DownloadOptions(Builder b) {
        this.resume = b.resume;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Start over on every download; nothing is left behind by a failed one. */
    public static DownloadOptions defaults() {
        return DEFAULTS;
    }

    public Builder toBuilder() {
        return new Builder().resume(resume);
    }

    public boolean resume() {
        return resume;
    }

    @Override
    public String toString() {
        return "DownloadOptions{resume=" + resume + "}";
    }

    /** Builds {@link DownloadOptions}. */
    public static final class Builder {
        private boolean resume;

        private Builder() {
        }

        /** Keep a failed download's bytes and continue from them next time (default false). */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public DownloadOptions build() {
            return new DownloadOptions(this);
        }
    }
}

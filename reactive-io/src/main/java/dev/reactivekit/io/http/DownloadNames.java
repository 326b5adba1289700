package dev.reactivekit.io.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The file name of a download into a directory: the {@code Content-Disposition} filename ({@code filename*}
 * first, RFC 6266), else the URL's last path segment, else {@code index.html}; refused unless it is a plain file
 * name, so nothing is written outside the directory.
 */
final class DownloadNames {

    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private DownloadNames() {
    }

    /** Where the body goes in {@code directory}; an {@link UnsafeFileNameException} naming {@code op} if nowhere. */
    static Path target(Path directory, String contentDisposition, URI uri, String op) {
        String name = contentDisposition == null ? null : fromContentDisposition(contentDisposition);
        String source = "the server's Content-Disposition";
        if (name == null) {
            name = fromUrl(uri);
            source = "the URL";
        }
        String problem = problem(name);
        Path target = directory.resolve(problem == null ? name : ".").normalize();
        if (problem == null && !directory.normalize().equals(target.getParent())) {
            problem = "it would be written outside " + directory;
        }
        if (problem != null) {
            throw new UnsafeFileNameException(op + ": " + source + " names the file '" + printable(name)
                    + "', which is not a plain file name (" + problem + "): nothing was written", name);
        }
        return target;
    }

    /** The URL's last path segment, decoded; {@code index.html} when the path ends with a slash. */
    static String fromUrl(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String segment = path.substring(path.lastIndexOf('/') + 1);
        if (segment.isEmpty()) {
            return "index.html";
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    /** {@code filename*=UTF-8''...} or {@code filename="..."}; null when neither is there. */
    static String fromContentDisposition(String header) {
        String plain = null;
        String extended = null;
        for (String param : splitParams(header)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = param.substring(eq + 1).trim();
            if (key.equals("filename*")) {
                int quote = value.indexOf("''");
                if (quote >= 0) {
                    String charset = value.substring(0, quote);
                    try {
                        extended = URLDecoder.decode(value.substring(quote + 2).replace("+", "%2B"),
                                java.nio.charset.Charset.forName(charset.isEmpty() ? "UTF-8" : charset));
                    } catch (IllegalArgumentException e) {
                        extended = value.substring(quote + 2);
                    }
                }
            } else if (key.equals("filename")) {
                plain = unquote(value);
            }
        }
        String name = extended != null ? extended : plain;
        return name == null || name.isEmpty() ? null : name;
    }

    private static java.util.List<String> splitParams(String header) {
        java.util.List<String> params = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                params.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        params.add(current.toString());
        return params;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    /** Why {@code name} is not a plain file name; null when it is one. */
    static String problem(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "it names a directory";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "it has a directory in it";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return c == 0 ? "it has a NUL character" : "it has a control character";
            }
        }
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (RESERVED.contains(stem.trim().toUpperCase(Locale.ROOT))) {
            return "the file system reserves it";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            return "it is over 255 bytes long";
        }
        return null;
    }

    /** The partial file of a resumable download into {@code directory}, named from the URL. */
    static Path partial(Path directory, String url) {
        return directory.resolve(".download-" + Long.toHexString(hash(url)) + ".part");
    }

    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}

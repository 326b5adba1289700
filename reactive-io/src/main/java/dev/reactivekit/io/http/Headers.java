package dev.reactivekit.io.http;

import dev.reactivekit.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** HTTP headers: an immutable multimap with case-insensitive names, in the order they were added. */
public final class Headers {

    private static final Headers EMPTY = new Headers(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final TreeMap<String, List<String>> values;

    private Headers(TreeMap<String, List<String>> values) {
        this.values = values;
    }

    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from name/value pairs: {@code Headers.of("Accept", "application/json", "X-Id", "7")}. */
    public static Headers of(String... namesAndValues) {
        Checks.isTrue(namesAndValues.length % 2 == 0, () -> "`namesAndValues` must come in pairs");
        Headers headers = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers = headers.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** Builds from a map of names to values, preserving the values' order. */
    public static Headers of(Map<String, ? extends List<String>> map) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.forEach((name, list) -> copy.merge(name, List.copyOf(list), Headers::concat));
        return new Headers(copy);
    }

    /** A copy with {@code value} added to {@code name}'s values. */
    public Headers with(String name, String value) {
        check(name, value);
        TreeMap<String, List<String>> copy = new TreeMap<>(values);
        copy.merge(name, List.of(value), Headers::concat);
        return new Headers(copy);
    }

    /** A copy where {@code name} has only {@code value}. */
    public Headers set(String name, String value) {
        check(name, value);
        TreeMap<String, List<String>> copy = new TreeMap<>(values);
        copy.put(name, List.of(value));
        return new Headers(copy);
    }

    /** A copy with {@code other}'s headers replacing these of the same name. */
    public Headers setAll(Headers other) {
        TreeMap<String, List<String>> copy = new TreeMap<>(values);
        copy.putAll(other.values);
        return new Headers(copy);
    }

    /** The first value of {@code name}. */
    public Optional<String> first(String name) {
        List<String> all = values.get(name);
        return all == null || all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every value of {@code name}, in order; empty if absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Header names, in case-insensitive order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    public Map<String, List<String>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Refuses, at call time, a name that is not an HTTP token and a value with a line break or NUL (which would
     * split the header in two): an {@link IllegalArgumentException} naming the header.
     */
    private static void check(String name, String value) {
        Checks.notNull(name, "name");
        Checks.notNull(value, "value");
        // Plain loops: every reply's headers pass here (a stream per header was a visible cost of a small reply).
        boolean token = !name.isEmpty();
        for (int i = 0; token && i < name.length(); i++) {
            token = isTokenChar(name.charAt(i));
        }
        Checks.isTrue(token, () -> "not a valid header name: '" + name + "'");
        boolean oneLine = true;
        for (int i = 0; oneLine && i < value.length(); i++) {
            char c = value.charAt(i);
            oneLine = c != '\r' && c != '\n' && c != 0;
        }
        Checks.isTrue(oneLine, () -> "the value of header '" + name + "' contains a line break or NUL");
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a);
        both.addAll(b);
        return List.copyOf(both);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && values.equals(h.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

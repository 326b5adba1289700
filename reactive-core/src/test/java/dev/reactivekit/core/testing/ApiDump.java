package dev.reactivekit.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as text, one line per public type and member, sorted, as Kotlin's
 * binary-compatibility-validator keeps it: a committed {@code api/<module>.api} file that a test compares with
 * the compiled classes, so an API change is always a deliberate, reviewed diff. Packages named {@code internal}
 * are not API and are left out.
 * <p>
 * After a deliberate change, rewrite the file with {@code mvn -B test -Dreactivekit.api.update=true} (in the
 * module) and commit it with the change.
 */
public final class ApiDump {

    private ApiDump() {
    }

    /**
     * Fails, showing the lines added and removed, when the public API of the classes under {@code classes}
     * differs from {@code committed}; rewrites {@code committed} instead when {@code reactivekit.api.update} is
     * set.
     */
    public static void verify(Path classes, Path committed) {
        List<String> now = dump(classes);
        if (Boolean.getBoolean("reactivekit.api.update")) {
            write(committed, now);
            return;
        }
        if (!Files.exists(committed)) {
            throw new AssertionError("no API file " + committed.toAbsolutePath() + ": create it with "
                    + "mvn -B test -Dreactivekit.api.update=true and commit it");
        }
        List<String> before = read(committed);
        if (!before.equals(now)) {
            List<String> added = new ArrayList<>(now);
            added.removeAll(before);
            List<String> removed = new ArrayList<>(before);
            removed.removeAll(now);
            throw new AssertionError("the public API differs from " + committed + ":\n"
                    + removed.stream().map(l -> "- " + l).collect(Collectors.joining("\n"))
                    + (removed.isEmpty() ? "" : "\n")
                    + added.stream().map(l -> "+ " + l).collect(Collectors.joining("\n"))
                    + "\nIf the change is meant, run mvn -B test -Dreactivekit.api.update=true in the module and "
                    + "commit " + committed.getFileName());
        }
    }

    /**
     * The API lines of the classes under {@code classes}, sorted, with the module's exports first when it has a
     * {@code module-info}; fails when a package holding API types is not exported to everyone, or an internal
     * package is.
     */
    public static List<String> dump(Path classes) {
        List<String> lines = new ArrayList<>();
        Set<String> apiPackages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                if (name.contains(".internal.") || name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, ApiDump.class.getClassLoader());
                if (isApi(type)) {
                    describe(type, lines);
                    apiPackages.add(type.getPackageName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + e.getMessage(), e);
        }
        lines.sort(null);
        List<String> exports = exports(classes, apiPackages);
        exports.addAll(lines);
        return exports;
    }

    /** The module's exports as API lines, checked against the packages that hold API types. */
    private static List<String> exports(Path classes, Set<String> apiPackages) {
        if (!Files.exists(classes.resolve("module-info.class"))) {
            return new ArrayList<>();
        }
        ModuleDescriptor module = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        List<String> lines = new ArrayList<>();
        Set<String> exportedToAll = new TreeSet<>();
        for (ModuleDescriptor.Exports export : module.exports()) {
            boolean internal = export.source().contains(".internal");
            if (!export.isQualified()) {
                if (internal) {
                    throw new AssertionError("module " + module.name() + " exports its internal package "
                            + export.source() + " to everyone: qualify it (exports ... to ...) or keep it hidden");
                }
                exportedToAll.add(export.source());
            }
            lines.add("module " + module.name() + ": exports " + export.source()
                    + (export.isQualified() ? " to " + String.join(", ", new TreeSet<>(export.targets())) : ""));
        }
        Set<String> hidden = new TreeSet<>(apiPackages);
        hidden.removeAll(exportedToAll);
        if (!hidden.isEmpty()) {
            throw new AssertionError("module " + module.name() + " holds public API in packages it does not export: "
                    + hidden);
        }
        lines.sort(null);
        return lines;
    }

    private static boolean isApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static void describe(Class<?> type, List<String> lines) {
        String owner = type.getName();
        StringBuilder header = new StringBuilder(owner).append(": ")
                .append(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.STATIC))
                .append(type.isInterface() ? " interface" : type.isRecord() ? " record" : type.isEnum() ? " enum" : " class");
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()
                && !type.isRecord()) {
            header.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            header.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(type.getGenericInterfaces())
                    .map(java.lang.reflect.Type::getTypeName).sorted().collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            header.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        lines.add(header.toString().replace("  ", " "));
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c)) {
                lines.add(owner + ": " + c.toGenericString());
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                lines.add(owner + ": " + m.toGenericString());
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f) && !f.isSynthetic()) {
                lines.add(owner + ": " + f.toGenericString());
            }
        }
    }

    /** Public, or protected in a class a user may extend. */
    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers)
                || Modifier.isProtected(modifiers) && !Modifier.isFinal(member.getDeclaringClass().getModifiers());
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()
                    && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            List<String> out = new ArrayList<>();
            out.add("# The public API of this module, compared with the compiled classes by ApiSignatureTest.");
            out.add("# After a deliberate change: mvn -B test -Dreactivekit.api.update=true, then commit this file.");
            out.addAll(lines);
            Files.write(file, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

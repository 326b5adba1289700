package dev.reactivekit.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of reactive-io speaks Mono, Flux and JDK types only: no Netty or Reactor Netty type may appear
 * in a public signature of a public class outside the {@code internal} package.
 */
class PublicApiTest {

    private static final List<String> FORBIDDEN = List.of("io.netty.", "reactor.netty.");

    @Test
    void noNettyTypeInAnyPublicSignature() throws Exception {
        List<String> violations = new ArrayList<>();
        List<Class<?>> classes = publicApiClasses();
        assertThat(classes).as("public API classes found").hasSizeGreaterThan(40);
        for (Class<?> type : classes) {
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(m.getGenericReturnType(), type, m.getName(), violations);
                    checkExecutable(m, type, violations);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    checkExecutable(c, type, "<init>", violations);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(f.getGenericType(), type, f.getName(), violations);
                }
            }
            check(type.getGenericSuperclass(), type, "extends", violations);
            for (Type i : type.getGenericInterfaces()) {
                check(i, type, "implements", violations);
            }
        }
        assertThat(violations).isEmpty();
    }

    private static void checkExecutable(Executable e, Class<?> type, List<String> violations) {
        checkExecutable(e, type, e.getName(), violations);
    }

    private static void checkExecutable(Executable e, Class<?> type, String name, List<String> violations) {
        for (Type p : e.getGenericParameterTypes()) {
            check(p, type, name, violations);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(x, type, name, violations);
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(Type t, Class<?> owner, String member, List<String> violations) {
        if (t == null) {
            return;
        }
        if (t instanceof Class<?> c) {
            Class<?> base = c;
            while (base.isArray()) {
                base = base.getComponentType();
            }
            for (String prefix : FORBIDDEN) {
                if (base.getName().startsWith(prefix)) {
                    violations.add(owner.getName() + "#" + member + " exposes " + base.getName());
                }
            }
        } else if (t instanceof ParameterizedType p) {
            check(p.getRawType(), owner, member, violations);
            for (Type a : p.getActualTypeArguments()) {
                check(a, owner, member, violations);
            }
        } else if (t instanceof GenericArrayType g) {
            check(g.getGenericComponentType(), owner, member, violations);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(b, owner, member, violations);
            }
            for (Type b : w.getLowerBounds()) {
                check(b, owner, member, violations);
            }
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(b, owner, member, violations);
            }
        }
    }

    private static List<Class<?>> publicApiClasses() throws Exception {
        Path root = classesRoot();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/reactivekit/io"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.contains(".internal.")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers()) && !type.isAnonymousClass()) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }

    private static Path classesRoot() throws URISyntaxException {
        // The directory or jar that holds reactive-io's main classes.
        return Path.of(dev.reactivekit.io.http.HttpFetcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

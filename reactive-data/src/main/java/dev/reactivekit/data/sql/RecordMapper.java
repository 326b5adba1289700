package dev.reactivekit.data.sql;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes records from rows by column name: each component of the record takes the column of the same name,
 * compared ignoring case and underscores ({@code createdAt} reads {@code created_at}), converted as
 * {@link Row#get(String, Class)} converts. One mapper per record class, its constructor found once.
 */
final class RecordMapper<R> {

    private static final ClassValue<RecordMapper<?>> MAPPERS = new ClassValue<>() {
        @Override
        protected RecordMapper<?> computeValue(Class<?> type) {
            return new RecordMapper<>(type);
        }
    };

    private final Class<R> type;
    private final String[] keys;
    private final String[] names;
    private final Class<?>[] types;
    private final Constructor<R> constructor;

    private RecordMapper(Class<R> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record: rows map to records only");
        }
        RecordComponent[] components = type.getRecordComponents();
        this.type = type;
        this.keys = new String[components.length];
        this.names = new String[components.length];
        this.types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            keys[i] = key(names[i]);
            types[i] = components[i].getType();
        }
        try {
            this.constructor = type.getDeclaredConstructor(types);
            constructor.trySetAccessible(); // a record the caller's module does not open is used as it is
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException("cannot make " + type.getName() + " from rows: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static <R> RecordMapper<R> of(Class<R> type) {
        return (RecordMapper<R>) MAPPERS.get(type);
    }

    R map(Row row) {
        List<String> columns = row.columns();
        Object[] args = new Object[keys.length];
        List<String> missing = null;
        for (int i = 0; i < keys.length; i++) {
            int column = indexOf(columns, keys[i]);
            if (column < 0) {
                missing = missing == null ? new ArrayList<>() : missing;
                missing.add(names[i]);
                continue;
            }
            args[i] = value(row, column, i);
        }
        if (missing != null) {
            throw new RowMappingException("cannot make a " + type.getSimpleName() + " from the row: no column for "
                    + (missing.size() == 1 ? "component '" + missing.get(0) + "'" : "components " + missing)
                    + " (columns " + columns + ")");
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new RowMappingException("cannot make a " + type.getSimpleName() + " from the row: its constructor "
                    + "refused the values: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            Module module = type.getModule();
            throw new RowMappingException("cannot make a " + type.getSimpleName() + " from the row: its constructor"
                    + " is out of ReactiveKit's reach" + (module.isNamed() ? "; add `opens " + type.getPackageName()
                    + " to dev.reactivekit.data;` to the module-info of " + module.getName() : "") + " (" + e + ")", e);
        } catch (ReflectiveOperationException e) {
            throw new RowMappingException("cannot make a " + type.getSimpleName() + " from the row: " + e, e);
        }
    }

    private Object value(Row row, int column, int component) {
        String name = row.columns().get(column);
        Class<?> wanted = types[component];
        Object value;
        try {
            value = row.get(column, boxed(wanted));
        } catch (ClassCastException e) {
            throw new RowMappingException("cannot make a " + type.getSimpleName() + " from the row: component '"
                    + names[component] + "' is a " + wanted.getSimpleName() + " but " + e.getMessage(), e);
        }
        if (value == null && wanted.isPrimitive()) {
            throw new RowMappingException("cannot make a " + type.getSimpleName() + " from the row: column '" + name
                    + "' is NULL but component '" + names[component] + "' is a " + wanted.getName()
                    + " (declare it as " + boxed(wanted).getSimpleName() + " to accept NULL)");
        }
        return value;
    }

    private static int indexOf(List<String> columns, String key) {
        for (int i = 0; i < columns.size(); i++) {
            if (key(columns.get(i)).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static String key(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }
}

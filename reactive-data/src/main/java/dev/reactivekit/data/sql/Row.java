package dev.reactivekit.data.sql;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One row of a result (asyncpg's {@code Record}), read whole from the driver, so it may be kept and used after
 * the query ended. Columns by name (case-insensitive) or by index (0-based); SQL {@code NULL} is {@code null}.
 */
public final class Row {

    private final List<String> names;
    private final Object[] values;

    Row(List<String> names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /** The column names, in order. */
    public List<String> columns() {
        return names;
    }

    /** The value of column {@code index} (0-based), as the driver decoded it. */
    public Object get(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("column index " + index + " out of 0.." + (values.length - 1)
                    + " (columns " + names + ")");
        }
        return values[index];
    }

    /** The value of column {@code name}, as the driver decoded it. */
    public Object get(String name) {
        return values[indexOf(name)];
    }

    /**
     * The value of column {@code name} as {@code type}: numbers convert between number types when the value
     * fits ({@code Long} from an {@code int4}), 0 and 1 to {@code Boolean} (SQLite and MariaDB store booleans as
     * numbers), anything converts to {@code String}.
     */
    public <T> T get(String name, Class<T> type) {
        return convert(name, get(name), type);
    }

    public <T> T get(int index, Class<T> type) {
        return convert(names.get(index), get(index), type);
    }

    public String getString(String name) {
        return get(name, String.class);
    }

    public Long getLong(String name) {
        return get(name, Long.class);
    }

    public Integer getInt(String name) {
        return get(name, Integer.class);
    }

    public Boolean getBoolean(String name) {
        return get(name, Boolean.class);
    }

    /**
     * This row as a record of {@code type}, by column name: each component takes the column of its name,
     * compared ignoring case and underscores (component {@code createdAt} reads column {@code created_at}),
     * converted as {@link #get(String, Class)} converts; columns no component names are ignored. Fails with a
     * {@link RowMappingException} naming the component when a column is missing, of another type, or
     * {@code NULL} for a primitive.
     */
    public <R extends Record> R as(Class<R> type) {
        return RecordMapper.of(type).map(this);
    }

    /** Column names to values, in column order (asyncpg's {@code dict(row)}). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(names.get(i), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new NoSuchElementException("no column '" + name + "' (columns " + names + ")");
    }

    @SuppressWarnings("unchecked")
    private static <T> T convert(String column, Object value, Class<T> type) {
        if (value == null || type.isInstance(value)) {
            return (T) value;
        }
        if (type == String.class) {
            return (T) value.toString();
        }
        if (value instanceof Number number) {
            try {
                if (type == Long.class) {
                    return (T) Long.valueOf(exact(column, number).longValueExact());
                }
                if (type == Integer.class) {
                    return (T) Integer.valueOf(exact(column, number).intValueExact());
                }
            } catch (ArithmeticException e) {
                throw new ClassCastException("column '" + column + "' holds " + number + ", which is not a "
                        + type.getSimpleName());
            }
            if (type == Double.class) {
                return (T) Double.valueOf(number.doubleValue());
            }
            if (type == BigDecimal.class) {
                return (T) new BigDecimal(number.toString());
            }
            if (type == Boolean.class && (number.doubleValue() == 0 || number.doubleValue() == 1)) {
                return (T) Boolean.valueOf(number.doubleValue() == 1);
            }
        }
        throw new ClassCastException("column '" + column + "' holds a " + value.getClass().getName() + ", not a "
                + type.getName());
    }

    private static BigDecimal exact(String column, Number number) {
        try {
            return new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            throw new ClassCastException("column '" + column + "' holds " + number + ", not a whole number");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other && names.equals(other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Row" + toMap();
    }
}

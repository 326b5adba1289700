package dev.reactivekit.data.sql;

/**
 * A row could not become the record asked for ({@link Row#as}, {@code query(sql, Type.class, args...)}): a
 * component with no column of its name, a column whose value is not of the component's type, or {@code NULL}
 * for a primitive component. The message names the record, the component and the row's columns. Permanent: the
 * query and the record disagree.
 */
public final class RowMappingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    RowMappingException(String message) {
        super(message);
    }

    RowMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}

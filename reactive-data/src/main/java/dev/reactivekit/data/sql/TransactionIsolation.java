package dev.reactivekit.data.sql;

import io.r2dbc.spi.IsolationLevel;

/** The isolation level of a transaction ({@link Database#inTransaction(TransactionIsolation, java.util.function.Function)}). */
public enum TransactionIsolation {
    READ_UNCOMMITTED(IsolationLevel.READ_UNCOMMITTED),
    READ_COMMITTED(IsolationLevel.READ_COMMITTED),
    REPEATABLE_READ(IsolationLevel.REPEATABLE_READ),
    SERIALIZABLE(IsolationLevel.SERIALIZABLE);

    final IsolationLevel level;

    TransactionIsolation(IsolationLevel level) {
        this.level = level;
    }
}

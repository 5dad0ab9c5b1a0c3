package dev.databasedump;

import java.util.function.Supplier;

/** Computes a value once, on first use: beans a route needs are made when the route is created, not before. */
final class Memo<T> implements Supplier<T> {

    private final Supplier<T> supplier;
    private T value;

    Memo(Supplier<T> supplier) {
        this.supplier = supplier;
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = supplier.get();
        }
        return value;
    }
}

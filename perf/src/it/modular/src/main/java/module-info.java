module example {
    requires dev.reactivekit.io;
    requires dev.reactivekit.data;
    // Rows become records of this package: ReactiveKit needs to reach their constructors.
    opens example to dev.reactivekit.data;
}

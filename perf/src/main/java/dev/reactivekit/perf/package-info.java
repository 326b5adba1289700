/**
 * Benchmarks. JMH micro-benchmarks live in sub-packages per module ({@code core}); run them with
 * {@code java -jar perf/target/reactivekit-benchmarks.jar}. Each benchmark class measures ReactiveKit and the
 * baseline a user would otherwise write in the same run, so their ratio is what counts.
 */
package dev.reactivekit.perf;

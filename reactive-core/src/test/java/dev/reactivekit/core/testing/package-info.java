/**
 * Test fixtures shared by every module through reactive-core's test-jar: Netty leak detection that fails the
 * build, BlockHound allowances for test logging, waiting for a condition ({@code Await} on a scheduler,
 * {@code Poll} on the test thread, for conditions that block), and the quiet logback configuration.
 */
package dev.reactivekit.core.testing;

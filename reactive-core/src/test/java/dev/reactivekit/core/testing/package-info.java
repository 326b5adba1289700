/**
 * Test fixtures shared by every module through reactive-core's test-jar: Netty leak detection that fails the
 * build, BlockHound allowances for test logging, and the quiet logback configuration.
 */
package dev.reactivekit.core.testing;

/**
 * Implementation details of reactive-io. Not part of the API: no compatibility guarantees.
 */
package dev.reactivekit.io.internal;

/**
 * Implementation details of reactive-core. Not part of the API: no compatibility guarantees, and other
 * ReactiveKit modules are the only intended users.
 */
package dev.reactivekit.core.internal;

/** Internal to reactive-data: not API, may change without notice. */
package dev.reactivekit.data.internal;

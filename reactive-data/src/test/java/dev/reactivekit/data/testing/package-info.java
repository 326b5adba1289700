/** Test support shared by reactive-data's tests. */
package dev.reactivekit.data.testing;

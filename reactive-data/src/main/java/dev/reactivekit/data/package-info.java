/**
 * ReactiveKit data: SQL over R2DBC ({@code dev.reactivekit.data.sql}) and Redis over Lettuce
 * ({@code dev.reactivekit.data.redis}). The sub-packages arrive with their issues; this placeholder keeps the
 * module in the build.
 */
package dev.reactivekit.data;

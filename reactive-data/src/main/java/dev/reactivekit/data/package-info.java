/**
 * ReactiveKit data: Redis over Lettuce ({@code dev.reactivekit.data.redis}); SQL over R2DBC
 * ({@code dev.reactivekit.data.sql}) arrives with its issue.
 */
package dev.reactivekit.data;

/**
 * Asynchronous files, as Python's aiofiles and aiofiles.os: streaming reads and writes, lines, copies, file
 * system operations and directory watching, as {@code Mono}/{@code Flux}. Start with {@link AsyncFiles}.
 */
package dev.reactivekit.io.file;

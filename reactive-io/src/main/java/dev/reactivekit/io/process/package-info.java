/**
 * Subprocesses and OS pipes as {@code Mono}/{@code Flux}: asyncio's {@code create_subprocess_exec} and
 * {@code os.pipe} with StreamReader/StreamWriter. Start with {@link Processes}.
 */
package dev.reactivekit.io.process;

package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;

import java.nio.file.Path;
import java.util.Map;

/**
 * One repetition of one mode as it ran: the engine's result, where it ran, where its files are, and the proxies'
 * CPU and memory in its measured window (null when the runner does not measure them, i.e. locally).
 */
public record RepetitionResult(DataPath mode, int repetition, int order, LoadResult load, Map<String, String> placement,
                               Path runDirectory, ProxyResources proxyResources) {
}

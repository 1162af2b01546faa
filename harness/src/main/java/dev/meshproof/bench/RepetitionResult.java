package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;

import java.nio.file.Path;
import java.util.Map;

/** One repetition of one mode as it ran: the engine's result, where it ran, and where its files are. */
public record RepetitionResult(Mode mode, int repetition, int order, LoadResult load, Map<String, String> placement,
                               Path runDirectory) {
}

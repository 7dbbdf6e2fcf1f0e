package io.spate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spate.picker.PiecePicker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwarmTraceTest
{
    @Test
    void oneJsonLinePerSampleWithTheTimeSinceTheFirstAndThePiecesHad(@TempDir final Path dir) throws Exception
    {
        final PiecePicker picker = new PiecePicker(4, 16 * 1024, 4 * 16 * 1024, 1);
        picker.pieceVerified(2);
        final SwarmTrace trace = SwarmTrace.open(dir.resolve("traces"), 5_000_000_000L);
        trace.sample(5_000_000_000L, picker, List.of(), null);
        picker.pieceVerified(0);
        trace.sample(6_250_000_000L, picker, List.of(), null);
        trace.close();
        trace.sample(7_000_000_000L, picker, List.of(), null); // after the torrent stopped: nothing written, nothing thrown

        final Path file = dir.resolve("traces").resolve("trace-" + ProcessHandle.current().pid() + ".jsonl");
        final List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), String.join("\n", lines));
        final ObjectMapper json = new ObjectMapper();
        final JsonNode first = json.readTree(lines.get(0));
        final JsonNode second = json.readTree(lines.get(1));
        assertEquals(0, first.path("t").asLong());
        assertEquals(1, first.path("have").asInt());
        assertEquals(1250, second.path("t").asLong(), "milliseconds since the trace began");
        assertEquals(2, second.path("have").asInt());
        assertEquals(0, second.path("peers").size());
    }
}

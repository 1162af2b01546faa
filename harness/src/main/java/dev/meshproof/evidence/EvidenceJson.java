package dev.meshproof.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallResponse;

/** The JSON mapper of the evidence files: ISO-8601 times, unknown fields tolerated (readers of older evidence). */
final class EvidenceJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private EvidenceJson() {
    }

    /** A call-API response read with the agent's own strict mapper: what the agent wrote must parse as the agent's type. */
    static CallResponse callResponse(JsonNode node) {
        try {
            return Json.MAPPER.treeToValue(node, CallResponse.class);
        } catch (Exception e) {
            throw new MalformedEvidenceException("calls.jsonl", "a response is not a call-API response: " + e.getMessage(), e);
        }
    }
}

package dev.meshproof.evidence;

import dev.meshproof.verdict.Spans;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OtlpSpansTest {

    @Test
    void theVerbatimProtoExampleIsReadWithUpperCaseIdsNormalised() {
        List<OtlpSpans.Span> spans = OtlpSpans.parse(upstream(Spans.EXAMPLE));
        assertThat(spans).singleElement().satisfies(s -> {
            assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(s.spanId()).isEqualTo("eee19b7ec3c1b174");
            assertThat(s.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
            assertThat(s.kind()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(s.name()).isEqualTo("I'm a server span");
            assertThat(s.attributes()).isEqualTo(Map.of("my.span.attr", "some value"));
            assertThat(s.resource()).containsEntry("service.name", "my.service");
        });
    }

    @Test
    void kindByNameInt64AsNumbersSnakeCaseAndARootSpanAreAccepted() {
        String doc = edit(upstream(Spans.EXAMPLE), "\"kind\": 2", "\"kind\": \"SPAN_KIND_CLIENT\"");
        doc = edit(doc, "\"startTimeUnixNano\": \"1544712660000000000\"", "\"start_time_unix_nano\": 1544712660000000000");
        doc = edit(doc, "\"parentSpanId\": \"EEE19B7EC3C1B173\"", "\"parentSpanId\": \"\"");
        doc = edit(doc, "\"stringValue\": \"some value\"", "\"intValue\": \"200\"");
        OtlpSpans.Span s = OtlpSpans.parse(doc).get(0);
        assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
        assertThat(s.parentSpanId()).isEmpty();
        assertThat(s.attributes()).containsEntry("my.span.attr", "200");
        assertThat(OtlpSpans.parse("{}")).isEmpty();
        assertThat(OtlpSpans.parse(Spans.none())).isEmpty();
    }

    @Test
    void malformedIdsAndDocumentsAreRefusedNotGuessed() {
        assertThatThrownBy(() -> OtlpSpans.parse(edit(upstream(Spans.EXAMPLE), "5B8EFFF798038103D269B633813FC60C", "5B8EFFF7")))
                .hasMessageContaining("traceId '5B8EFFF7' is not hex of the right length");
        assertThatThrownBy(() -> OtlpSpans.parse("[1]")).hasMessageContaining("not an object");
        assertThatThrownBy(() -> OtlpSpans.parse("{\"resourceSpans\": [")).hasMessageStartingWith("not OTLP/JSON");
    }
}

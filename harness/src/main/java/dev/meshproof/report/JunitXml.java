package dev.meshproof.report;

import dev.meshproof.verdict.Verdict;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's checks as JUnit XML (the Ant/Surefire format every CI system reads): one {@code testcase} per check and
 * data plane, named {@code check[data plane]}, in a class named after its profile. FAIL is a {@code failure},
 * INCONCLUSIVE an {@code error} (no evidence either way: not a test the mesh failed, but it fails the run), SKIPPED
 * {@code skipped}; the reasons are the message and the body. Verdict, level, data plane and each step's convergence
 * time are the test case's properties.
 */
public final class JunitXml {
    private JunitXml() {
    }

    public static String of(RunResults run) {
        List<RunResults.Result> results = run.results();
        try {
            StringWriter out = new StringWriter();
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "meshproof.conformance");
            x.writeAttribute("tests", String.valueOf(results.size()));
            x.writeAttribute("failures", String.valueOf(count(results, Verdict.Status.FAIL)));
            x.writeAttribute("errors", String.valueOf(count(results, Verdict.Status.INCONCLUSIVE)));
            x.writeAttribute("skipped", String.valueOf(count(results, Verdict.Status.SKIPPED)));
            x.writeAttribute("time", seconds(results.stream().mapToDouble(r -> r.check().seconds()).sum()));
            if (run.started() != null) {
                x.writeAttribute("timestamp", run.started());
            }
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            property(x, "istio.version", run.istioVersion(), "    ");
            property(x, "mesh.mode", run.meshMode(), "    ");
            property(x, "cluster", run.cluster(), "    ");
            x.writeCharacters("\n  ");
            x.writeEndElement();
            for (RunResults.Result r : results) {
                testcase(x, r);
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
            return out + "\n";
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
    }

    private static void testcase(XMLStreamWriter x, RunResults.Result r) throws XMLStreamException {
        x.writeCharacters("\n  ");
        x.writeStartElement("testcase");
        x.writeAttribute("name", r.name());
        x.writeAttribute("classname", "meshproof." + Profiles.of(r.check().check()).toLowerCase(Locale.ROOT) + "." + r.check().check());
        x.writeAttribute("time", seconds(r.check().seconds()));
        x.writeCharacters("\n    ");
        x.writeStartElement("properties");
        property(x, "verdict", r.status().name(), "      ");
        property(x, "level", r.check().level(), "      ");
        property(x, "dataPlane", r.check().dataPlane(), "      ");
        property(x, "seconds", seconds(r.check().seconds()), "      ");
        for (Map.Entry<String, Duration> c : r.convergence().entrySet()) {
            property(x, "convergence." + c.getKey(), seconds(c.getValue().toMillis() / 1000.0), "      ");
        }
        x.writeCharacters("\n    ");
        x.writeEndElement();
        String element = switch (r.status()) {
            case FAIL -> "failure";
            case INCONCLUSIVE -> "error";
            case SKIPPED -> "skipped";
            case PASS -> null;
        };
        if (element != null) {
            x.writeCharacters("\n    ");
            x.writeStartElement(element);
            x.writeAttribute("message", r.check().verdict().line());
            if (r.status() != Verdict.Status.SKIPPED) {
                x.writeAttribute("type", r.status().name());
            }
            x.writeCharacters(String.join("\n", r.check().verdict().reasons()));
            x.writeEndElement();
        }
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static void property(XMLStreamWriter x, String name, String value, String indent) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeCharacters("\n" + indent);
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }

    private static long count(List<RunResults.Result> results, Verdict.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}

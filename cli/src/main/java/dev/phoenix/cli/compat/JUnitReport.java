package dev.phoenix.cli.compat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes results as JUnit XML in Maven Surefire's layout, the dialect CI servers (GitHub
 * report actions, GitLab's junit reports, Jenkins) all read: one testsuite, one testcase per
 * test, a failure with the readable diff, an error for a timeout, and the guest's output.
 */
public final class JUnitReport {
    private JUnitReport() {}

    /** Writes {@code results} to {@code file}; {@code properties} describe the run (versions, options). */
    public static void write(Path file, List<CaseResult> results, Summary summary, Map<String, String> properties)
            throws IOException {
        Document doc = newDocument();
        Element suite = doc.createElement("testsuite");
        doc.appendChild(suite);
        suite.setAttribute("name", "phoenix-compat");
        suite.setAttribute("tests", String.valueOf(summary.tests()));
        suite.setAttribute("failures", String.valueOf(summary.failed()));
        suite.setAttribute("errors", String.valueOf(summary.timedOut() + summary.errors()));
        suite.setAttribute("skipped", "0");
        suite.setAttribute("time", seconds(summary.seconds()));
        suite.setAttribute("timestamp", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        suite.setAttribute("hostname", hostname());
        Element props = child(suite, "properties");
        properties.forEach((name, value) -> {
            Element p = child(props, "property");
            p.setAttribute("name", xmlText(name));
            p.setAttribute("value", xmlText(value));
        });
        for (CaseResult r : results) {
            suite.appendChild(testcase(doc, r));
        }
        write(doc, file);
    }

    private static Element testcase(Document doc, CaseResult r) {
        Element tc = doc.createElement("testcase");
        tc.setAttribute("name", xmlText(r.test().name()));
        tc.setAttribute("classname", "phoenix.compat." + r.arch());
        tc.setAttribute("time", seconds(r.seconds()));
        switch (r.status()) {
            case PASS -> { }
            case FAIL -> {
                Element f = child(tc, "failure");
                f.setAttribute("message", xmlText(r.headline()));
                f.setAttribute("type", String.join(",", r.differences().stream().map(CaseResult.Difference::what).toList()));
                f.setTextContent(xmlText(r.details()));
            }
            case TIMEOUT, ERROR -> {
                Element e = child(tc, "error");
                e.setAttribute("message", xmlText(r.problem()));
                e.setAttribute("type", r.status() == CaseResult.Status.TIMEOUT ? "timeout" : "launch");
            }
        }
        if (r.phoenix() != null) {
            output(tc, "system-out", r.phoenix().out());
            output(tc, "system-err", r.phoenix().err());
        }
        return tc;
    }

    private static void output(Element tc, String name, byte[] bytes) {
        if (bytes.length > 0) {
            child(tc, name).setTextContent(xmlText(new String(bytes, StandardCharsets.UTF_8)));
        }
    }

    /**
     * {@code s} without the characters XML 1.0 cannot hold at all (most control characters,
     * lone surrogates, U+FFFE/FFFF): a serializer would write them as references that every
     * parser then rejects, and one stray byte from a guest must not spoil the whole report.
     */
    static String xmlText(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().filter(JUnitReport::legal).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static boolean legal(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Document newDocument() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser is missing", e);
        }
    }

    private static void write(Document doc, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            // The JDK's serializer puts the declaration and the root on one line; write it ourselves.
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.UTF_8));
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }
}

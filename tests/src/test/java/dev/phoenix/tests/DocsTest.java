package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documents a newcomer reads work in a fresh clone: what they link lies in the repository,
 * and README.md and scripts/find-jdk.sh say the same about getting a JDK 25.
 */
class DocsTest {
    /** A Markdown link or image target. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A relative path climbing out of its directory ("../x"; not the "..." of an elided path). */
    private static final Pattern CLIMB = Pattern.compile("(?<![.\\w])\\.\\./");

    private static String read(String file) throws IOException {
        return Files.readString(Guests.repoRoot().resolve(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/ARCHITECTURE.md"})
    void everythingLinkedLiesInTheRepository(String doc) throws IOException {
        Path root = Guests.repoRoot();
        Path file = root.resolve(doc);
        String text = Files.readString(file);
        Matcher climb = CLIMB.matcher(text);
        int at = climb.find() ? climb.start() : -1;
        assertEquals(-1, at, doc + " names a path outside its directory: "
                + (at < 0 ? "" : text.substring(at, Math.min(text.length(), at + 40))));
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) {
                continue;
            }
            Path p = file.getParent().resolve(target.replaceFirst("#.*", "")).normalize();
            assertTrue(p.startsWith(root) && Files.exists(p), doc + " links " + target + ", not in the repository");
        }
    }

    @Test
    void readmeLinksTheArchitecture() throws IOException {
        assertTrue(read("README.md").contains("](docs/ARCHITECTURE.md)"), "README.md does not link docs/ARCHITECTURE.md");
    }

    @Test
    void readmeAndFindJdkSayHowToGetAJdk25() throws IOException {
        for (String file : List.of("README.md", "scripts/find-jdk.sh")) {
            for (String needed : List.of("temurin-25-jdk", "https://packages.adoptium.net/artifactory/deb", "/usr/lib/jvm")) {
                assertTrue(read(file).contains(needed), file + " does not say " + needed);
            }
        }
    }
}

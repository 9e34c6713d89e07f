package dev.phoenix.cli.compat;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits manifest values into words the way a user expects from a shell line, without a
 * shell's surprises: whitespace separates, "double quotes" group (and may be empty), a
 * backslash escapes {@code "} and {@code \}; nothing is expanded.
 */
final class Words {
    private Words() {}

    /** Returns the words of {@code value}; throws with a readable reason on an open quote. */
    static List<String> split(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == '"' || value.charAt(i + 1) == '\\')) {
                word.append(value.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated double quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * Cuts a {@code #} comment off {@code line}: one at the start or after whitespace, outside
     * double quotes, so {@code a#b} and {@code "# not a comment"} stay values.
     */
    static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}

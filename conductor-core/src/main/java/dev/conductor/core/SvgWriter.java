package dev.conductor.core;

/**
 * Writes one self-contained SVG document: elements with attributes, text escaped for XML, numbers with at most
 * one decimal. Every piece of user text (component names, failure messages) goes through {@link #text} or
 * {@link #attribute}, so no name can end an element, open one, or inject markup. Characters that XML 1.0 cannot
 * carry at all (control characters, lone surrogates, U+FFFE and U+FFFF) become U+FFFD.
 */
final class SvgWriter {

    /** The replacement for characters XML cannot carry. */
    private static final char REPLACEMENT = '\uFFFD';

    private final StringBuilder out;

    SvgWriter(int width, int height, String title, String style) {
        out = new StringBuilder(Math.max(4096, width * 4));
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n<title>");
        text(title);
        out.append("</title>\n<style>").append(style).append("</style>\n")
                .append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"100%\" height=\"100%\"/>\n");
    }

    /** Opens an element: {@code <name}; attributes follow, then {@link #close()} or {@link #end()}. */
    SvgWriter open(String name) {
        out.append('<').append(name);
        return this;
    }

    /** An attribute whose value is ours (a class name, a path): written as it is. */
    SvgWriter raw(String name, String value) {
        out.append(' ').append(name).append("=\"").append(value).append('"');
        return this;
    }

    /** An attribute whose value may come from a user: escaped. */
    SvgWriter attribute(String name, String value) {
        out.append(' ').append(name).append("=\"");
        text(value);
        out.append('"');
        return this;
    }

    SvgWriter number(String name, double value) {
        out.append(' ').append(name).append("=\"");
        appendNumber(value);
        out.append('"');
        return this;
    }

    /** Ends the start tag of an element that has content. */
    SvgWriter close() {
        out.append('>');
        return this;
    }

    /** Ends an element without content: {@code />}. */
    SvgWriter end() {
        out.append("/>\n");
        return this;
    }

    SvgWriter endElement(String name) {
        out.append("</").append(name).append(">\n");
        return this;
    }

    /** Escaped character data: {@code & < > " '} as references, what XML cannot carry as U+FFFD. */
    SvgWriter text(String value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n', '\r' -> out.append(' ');
                default -> {
                    if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') {
                        out.append(REPLACEMENT);
                    }
                    else if (Character.isHighSurrogate(c) && i + 1 < length
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    }
                    else if (Character.isSurrogate(c)) {
                        out.append(REPLACEMENT);
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return this;
    }

    /** A {@code <title>} child, which browsers show as the tooltip of its parent. */
    SvgWriter title(String value) {
        out.append("<title>");
        text(value);
        out.append("</title>");
        return this;
    }

    /**
     * A text element with a user's text, cut to {@code maxChars} characters with an ellipsis when longer; a cut
     * text carries the whole one (up to a bound) as its tooltip.
     */
    SvgWriter label(double x, double y, String cssClass, String value, int maxChars) {
        open("text").number("x", x).number("y", y);
        if (cssClass != null) {
            raw("class", cssClass);
        }
        close();
        if (value.length() > maxChars) {
            title(truncate(value, TOOLTIP_CHARS));
            text(truncate(value, maxChars));
        }
        else {
            text(value);
        }
        return endElement("text");
    }

    /** The most characters of a user's text that a tooltip shows. */
    static final int TOOLTIP_CHARS = 500;

    /** The first {@code maxChars - 1} characters and an ellipsis, never splitting a surrogate pair. */
    static String truncate(String value, int maxChars) {
        if (value.length() <= maxChars) {
            return value;
        }
        int end = Math.max(0, maxChars - 1);
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + '\u2026';
    }

    /** Raw markup of ours, such as a comment or a path's data. */
    SvgWriter markup(String markup) {
        out.append(markup);
        return this;
    }

    private void appendNumber(double value) {
        long tenths = Math.round(value * 10);
        if (tenths < 0) {
            out.append('-');
            tenths = -tenths;
        }
        out.append(tenths / 10);
        if (tenths % 10 != 0) {
            out.append('.').append(tenths % 10);
        }
    }

    /** A number as {@link #number} writes it, for path data. */
    SvgWriter coordinate(double value) {
        appendNumber(value);
        return this;
    }

    String finish() {
        return out.append("</svg>\n").toString();
    }
}

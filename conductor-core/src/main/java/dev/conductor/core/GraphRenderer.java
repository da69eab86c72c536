package dev.conductor.core;

/** Renders a component graph as Mermaid or Graphviz DOT text. */
final class GraphRenderer {

    private GraphRenderer() {
    }

    static String mermaid(ComponentGraph graph) {
        StringBuilder text = new StringBuilder("flowchart TD\n");
        for (int i = 0; i < graph.size(); i++) {
            text.append("    c").append(i).append("[\"").append(graph.definitionAt(i).name().replace("\"", "#quot;"))
                    .append("\"]\n");
        }
        for (int i = 0; i < graph.size(); i++) {
            for (int dependency : graph.dependenciesOf(i)) {
                text.append("    c").append(i).append(" --> c").append(dependency).append('\n');
            }
        }
        return text.toString();
    }

    static String dot(ComponentGraph graph) {
        StringBuilder text = new StringBuilder("digraph conductor {\n    rankdir=BT;\n    node [shape=box];\n");
        for (int i = 0; i < graph.size(); i++) {
            text.append("    \"").append(escape(graph.definitionAt(i).name())).append("\";\n");
        }
        for (int i = 0; i < graph.size(); i++) {
            for (int dependency : graph.dependenciesOf(i)) {
                text.append("    \"").append(escape(graph.definitionAt(i).name())).append("\" -> \"")
                        .append(escape(graph.definitionAt(dependency).name())).append("\";\n");
            }
        }
        return text.append("}\n").toString();
    }

    private static String escape(String name) {
        return name.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules of a tenant's scope, table by table, as a graph of which rows depend on which. Three kinds of rows:
 * <ul>
 *   <li>{@code TENANT}: a table that names the tenant itself (the tenant column, or the tenant table keyed by it);
 *       its rows in scope are the tenant's, and only those;</li>
 *   <li>{@code OWN}: the rows of a table without the tenant column that belong to the tenant because they reference,
 *       through a foreign key, a row that does (downward: a document's versions, transitively);</li>
 *   <li>{@code IN}: every row of such a table that is in the document: its own rows, and the rows that any row in
 *       the document references (upward: a shared lookup, the user who created a case), transitively. A row reached
 *       upward pulls in its own parents, never its children: only {@code OWN} rows lead downward.</li>
 * </ul>
 * A node is possible when the tenant's rows can reach it at all; a table whose {@code IN} node is not possible is left
 * out of the document. Nodes that depend on each other in a cycle (a self-reference, two tables referencing each
 * other) form a component that {@link ScopeSql} follows with one recursive query.
 */
final class ScopeGraph {

    enum Kind { TENANT, OWN, IN }

    /** Which rows of {@code table}. */
    record Node(Kind kind, DumpTable table) {
    }

    /** How a dependency reaches its node: down a key from the parent, up a key from the child, or the same rows. */
    enum Via { DOWN, UP, SAME }

    /** A node's rows follow from {@code on}'s rows through {@code key} (null for {@code SAME}). */
    record Dep(Via via, ForeignKey key, Node on) {
    }

    private final Predicate<DumpTable> namesTenant;
    private final Map<Node, List<Dep>> deps = new LinkedHashMap<>();
    private final Set<Node> possible = new HashSet<>();
    private final Map<Node, Integer> component = new HashMap<>();
    private final List<List<Node>> components = new ArrayList<>();

    ScopeGraph(List<DumpTable> tables, List<ForeignKey> keys, Predicate<DumpTable> namesTenant) {
        this.namesTenant = namesTenant;
        for (DumpTable table : tables) {
            if (namesTenant.test(table)) {
                deps.put(tenant(table), List.of());
                continue;
            }
            List<Dep> own = new ArrayList<>();
            List<Dep> in = new ArrayList<>(List.of(new Dep(Via.SAME, null, own(table))));
            for (ForeignKey key : keys) {
                if (key.child().equals(table)) {
                    own.add(new Dep(Via.DOWN, key, own(key.parent())));
                }
                if (key.parent().equals(table)) {
                    in.add(new Dep(Via.UP, key, in(key.child())));
                }
            }
            deps.put(own(table), own);
            deps.put(in(table), in);
        }
        markPossible();
        dropRedundant();
        findCycles();
    }

    /** The rows of {@code table} that belong to the tenant. */
    Node own(DumpTable table) {
        return namesTenant.test(table) ? tenant(table) : new Node(Kind.OWN, table);
    }

    /** The rows of {@code table} in the document. */
    Node in(DumpTable table) {
        return namesTenant.test(table) ? tenant(table) : new Node(Kind.IN, table);
    }

    boolean possible(Node node) {
        return possible.contains(node);
    }

    /** What the node's rows follow from, the possible dependencies only. */
    List<Dep> deps(Node node) {
        return deps.getOrDefault(node, List.of()).stream().filter(dep -> possible(dep.on())).toList();
    }

    /** The cycle {@code node} is part of, or -1. */
    int component(Node node) {
        return component.getOrDefault(node, -1);
    }

    /** The nodes of a cycle, in a fixed order: a node's place in it is its number in the cycle's query. */
    List<Node> members(int cycle) {
        return components.get(cycle);
    }

    private static Node tenant(DumpTable table) {
        return new Node(Kind.TENANT, table);
    }

    private void markPossible() {
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Node, List<Dep>> node : deps.entrySet()) {
                if (!possible.contains(node.getKey()) && (node.getKey().kind() == Kind.TENANT
                        || node.getValue().stream().anyMatch(dep -> possible.contains(dep.on())))) {
                    possible.add(node.getKey());
                    grew = true;
                }
            }
        }
    }

    // A table's rows reached up a key from a child whose rows in scope are exactly those that reference the tenant's
    // rows of the table through that same key (a document's versions) are the table's own rows already: the query
    // would only read them twice.
    private void dropRedundant() {
        for (Map.Entry<Node, List<Dep>> node : deps.entrySet()) {
            if (node.getKey().kind() == Kind.IN) {
                node.setValue(node.getValue().stream().filter(dep -> !ownedAlready(dep)).toList());
            }
        }
    }

    private boolean ownedAlready(Dep dep) {
        return dep.via() == Via.UP && dep.on().kind() == Kind.IN && reachedOnlyThrough(dep.key());
    }

    /**
     * Whether the rows in the document of {@code key}'s child are exactly those that reference, through {@code key},
     * rows of its parent in the document: its only way in. Such a row cannot reference a row out of scope through it.
     */
    boolean reachedOnlyThrough(ForeignKey key) {
        DumpTable child = key.child();
        if (namesTenant.test(child)) {
            return false;
        }
        List<Dep> childIn = deps(in(child));
        List<Dep> childOwn = deps(own(child));
        return childIn.size() == 1 && childIn.get(0).via() == Via.SAME && !childOwn.isEmpty()
                && childOwn.stream().allMatch(own -> key.equals(own.key()));
    }

    // Tarjan's strongly connected components over the possible nodes; only cycles are kept.
    private void findCycles() {
        Map<Node, Integer> index = new HashMap<>();
        Map<Node, Integer> low = new HashMap<>();
        Deque<Node> stack = new ArrayDeque<>();
        Set<Node> onStack = new HashSet<>();
        for (Node node : deps.keySet()) {
            if (possible(node) && !index.containsKey(node)) {
                connect(node, index, low, stack, onStack);
            }
        }
    }

    private void connect(Node node, Map<Node, Integer> index, Map<Node, Integer> low, Deque<Node> stack,
            Set<Node> onStack) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (Dep dep : deps(node)) {
            if (!index.containsKey(dep.on())) {
                connect(dep.on(), index, low, stack, onStack);
                low.put(node, Math.min(low.get(node), low.get(dep.on())));
            } else if (onStack.contains(dep.on())) {
                low.put(node, Math.min(low.get(node), index.get(dep.on())));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<Node> members = new ArrayList<>();
            Node member;
            do {
                member = stack.pop();
                onStack.remove(member);
                members.add(0, member);
            } while (!member.equals(node));
            boolean cycle = members.size() > 1 || deps(node).stream().anyMatch(dep -> dep.on().equals(node));
            if (cycle) {
                members.forEach(m -> component.put(m, components.size()));
                components.add(List.copyOf(members));
            }
        }
    }
}

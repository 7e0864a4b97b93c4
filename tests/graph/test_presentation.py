"""The layout and communities every visual export shares (graph/export/presentation.py):
Leiden communities numbered by size, laid out apart, the same on every run, computed
once per frozen graph."""
from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from itertools import combinations

import igraph
import networkx as nx

from renda_kg.graph.export.presentation import NODE_SPACING, communities, layout, presented


def typed_graph(edges, isolated=()) -> nx.MultiDiGraph:
    """A graph shaped like a build's: string ids, a type and a name per node."""
    graph = nx.MultiDiGraph(name="test")
    for node in [n for edge in edges for n in edge] + list(isolated):
        graph.add_node(node, type="Person", name=node)
    for u, v in edges:
        graph.add_edge(u, v, relation="memberOf")
    return graph


def clique(prefix: str, size: int) -> list[tuple[str, str]]:
    return [(f"{prefix}{i}", f"{prefix}{j}") for i, j in combinations(range(size), 2)]


def planted(groups: int = 6, size: int = 25, seed: int = 7) -> nx.MultiDiGraph:
    """Dense groups (each pair linked with p = 0.3) and a few random edges between groups,
    plus isolated nodes: communities to find and keep apart."""
    rng = random.Random(seed)
    edges = [(f"g{g}n{i}", f"g{g}n{j}") for g in range(groups)
             for i, j in combinations(range(size), 2) if rng.random() < 0.3]
    edges += [(f"g{a}n{rng.randrange(size)}", f"g{b}n{rng.randrange(size)}")
              for a, b in combinations(range(groups), 2) for _ in range(2)]
    return typed_graph(edges, isolated=[f"lone{i}" for i in range(10)])


def by_community(membership: dict) -> dict[int, set]:
    groups: dict[int, set] = {}
    for node, index in membership.items():
        groups.setdefault(index, set()).add(node)
    return groups


def test_two_dense_groups_joined_by_one_edge_are_two_communities_far_apart():
    graph = typed_graph(clique("a", 12) + clique("b", 9) + [("a0", "b0")])
    membership = communities(graph)
    assert by_community(membership) == {0: {f"a{i}" for i in range(12)}, 1: {f"b{i}" for i in range(9)}}
    positions = layout(graph)
    groups = [[positions[n] for n in graph if n.startswith(p)] for p in "ab"]
    closest = min(math.dist(p, q) for p in groups[0] for q in groups[1])
    widest = max(math.dist(p, q) for group in groups for p, q in combinations(group, 2))
    assert closest >= NODE_SPACING, "the two groups do not touch"
    centres = [(sum(x for x, _ in g) / len(g), sum(y for _, y in g) / len(g)) for g in groups]
    assert math.dist(*centres) > widest, "the groups lie further apart than either is wide"


def test_communities_are_numbered_by_size_then_graph_order_and_isolated_nodes_stand_alone():
    graph = typed_graph(clique("s", 4) + clique("b", 7) + clique("t", 4), isolated=["x", "y"])
    membership = communities(graph)
    assert [membership[n] for n in ("b0", "s0", "t0", "x", "y")] == [0, 1, 2, 3, 4]
    assert len(set(membership.values())) == 5 and set(membership) == set(graph)


def test_communities_of_a_mixed_graph_stay_apart_in_the_layout():
    graph = planted()
    membership, positions = communities(graph), layout(graph)
    groups = by_community({n: c for n, c in membership.items() if n.startswith("g")})
    assert len(groups) == 6
    assert all(len({n.split("n")[0] for n in members}) == 1 for members in groups.values())
    for a, b in combinations(groups.values(), 2):
        assert min(math.dist(positions[p], positions[q]) for p in a for q in b) >= NODE_SPACING
    intra = [math.dist(positions[u], positions[v]) for u, v in graph.edges() if membership[u] == membership[v]]
    inter = [math.dist(positions[u], positions[v]) for u, v in graph.edges() if membership[u] != membership[v]]
    assert sum(intra) / len(intra) < 0.5 * sum(inter) / len(inter)


def test_isolated_nodes_are_placed_apart_from_every_other_node():
    graph = typed_graph(clique("a", 10) + [("p", "q")], isolated=[f"lone{i}" for i in range(40)])
    positions = layout(graph)
    for node in (n for n in graph if n.startswith("lone")):
        nearest = min(math.dist(positions[node], positions[other]) for other in graph if other != node)
        assert nearest >= NODE_SPACING, node
    assert len(set(positions.values())) == graph.number_of_nodes()


def test_same_graph_gives_the_same_communities_and_positions_in_another_process():
    graph = planted()
    here = json.dumps([sorted(communities(graph).items()), sorted(layout(graph).items())])
    script = ("import json, sys, test_presentation as t\n"
              "g = t.planted()\n"
              "json.dump([sorted(t.communities(g).items()), sorted(t.layout(g).items())], sys.stdout)\n")
    env = dict(os.environ, PYTHONHASHSEED="12345",
               PYTHONPATH=os.pathsep.join([os.path.dirname(__file__), os.environ.get("PYTHONPATH", "")]))
    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert json.loads(there.stdout) == json.loads(here)
    assert layout(planted()) == layout(graph)


def test_presented_copy_carries_the_community_column_under_its_clean_ids():
    graph = typed_graph(clique("a", 5) + [("a\x00", "a0")])         # "a\x00" is cleaned to "a\ufffd"
    clean, positions = presented(graph)
    membership = communities(graph)
    assert clean.nodes["a\ufffd"]["community"] == membership["a\x00"]
    assert {n: d["community"] for n, d in clean.nodes(data=True) if n != "a\ufffd"} == {
        n: c for n, c in membership.items() if n != "a\x00"}
    assert all(isinstance(d["community"], int) for _, d in clean.nodes(data=True))
    assert set(positions) == set(clean) and positions["a\ufffd"] == layout(graph)["a\x00"]


def test_a_frozen_graph_is_laid_out_and_partitioned_once(monkeypatch):
    calls = {"leiden": 0, "layout": 0}
    leiden, fruchterman_reingold = igraph.Graph.community_leiden, igraph.Graph.layout_fruchterman_reingold

    def counting(name, method):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return method(*args, **kwargs)
        return wrapper
    monkeypatch.setattr(igraph.Graph, "community_leiden", counting("leiden", leiden))
    monkeypatch.setattr(igraph.Graph, "layout_fruchterman_reingold", counting("layout", fruchterman_reingold))

    graph = planted()
    first = presented(graph)[1]
    assert calls["leiden"] == 1 and calls["layout"] > 0
    presented(graph)
    assert calls["leiden"] == 2, "an unfrozen graph may have changed: computed afresh"
    nx.freeze(graph)
    before = dict(calls)
    positions = presented(graph)[1]
    once = dict(calls)
    assert once["leiden"] == before["leiden"] + 1 and once["layout"] > before["layout"]
    for _ in range(3):
        assert presented(graph)[1] == positions == first
    assert communities(graph) is communities(graph) and layout(graph) is layout(graph)
    assert calls == once


def test_a_graph_with_no_edges_or_no_nodes():
    assert layout(nx.MultiDiGraph()) == {} and communities(nx.MultiDiGraph()) == {}
    graph = typed_graph([], isolated=["a", "b", "c"])
    assert sorted(communities(graph).values()) == [0, 1, 2]
    assert len(set(layout(graph).values())) == 3


def test_self_loops_and_edge_direction_do_not_change_the_picture():
    edges = clique("a", 6) + clique("b", 5) + [("a0", "b0")]
    plain = typed_graph(edges)
    looped = nx.MultiDiGraph()
    looped.add_nodes_from(plain.nodes(data=True))                  # same node order
    looped.add_edges_from([(v, u) for u, v in edges] + [("a0", "a0"), ("b1", "b1")], relation="memberOf")
    assert communities(looped) == communities(plain)
    assert layout(looped) == layout(plain)


def test_igraph_random_state_is_handed_back():
    random.seed(3)
    expected = random.random()
    random.seed(3)
    layout(planted())
    communities(planted())
    assert random.random() == expected

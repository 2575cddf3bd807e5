"""The mutation list of ``python -m tests.mutation`` still applies to the code: every original
snippet occurs exactly once in its file and every listed test file exists, so the list cannot
rot silently while nobody runs the (slow) mutation run."""

from __future__ import annotations

from tests import mutation


def test_every_mutation_applies_to_the_code_and_names_existing_tests():
    mutations = mutation.load()
    assert len(mutations) >= 40
    assert mutation.problems(mutations) == []


def test_the_list_catches_a_snippet_that_no_longer_occurs(tmp_path):
    listed = mutation.load()[0]
    broken = mutation.Mutation(listed.id, listed.file, "no such code", "x", ("tests/nope.py",))
    found = mutation.problems([broken, broken])
    assert any("listed 2 times" in p for p in found)
    assert any("occurs 0 times" in p for p in found)
    assert any("no test file tests/nope.py" in p for p in found)

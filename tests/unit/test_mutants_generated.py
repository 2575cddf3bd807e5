"""The generated mutants of ``python -m tests.mutants`` (slow: not part of the test run) stay
usable while the code changes: every mutant is one edit that compiles and changes the module,
ids are unique and survive edits elsewhere in a file, the seeded sample holds at least 300
mutants from every guarantee module, and each mutant written down as equivalent still exists."""

from __future__ import annotations

import ast
import random

from tests import mutants
from tests.helpers import ROOT
from tests.mutagen import generate


def test_every_module_has_files_and_existing_tests():
    files = mutants.module_files()
    for name, (_, tests) in mutants.MODULES.items():
        assert files[name], f"{name}: no file"
        for test in tests:
            if test.startswith("tests/"):
                assert (ROOT / test.split("::")[0]).is_file(), test


def test_the_sample_is_300_or_more_from_every_module_and_the_same_each_time():
    by_file = mutants.all_mutants()
    chosen = mutants.sample(by_file)
    assert len(chosen) >= 300
    assert {m.file for m in chosen} == set(by_file)
    assert [m.id for m in mutants.sample(mutants.all_mutants())] == [m.id for m in chosen]
    everything = [m.id for found in by_file.values() for m in found]
    assert len(everything) == len(set(everything))


def test_a_sampled_mutant_compiles_and_changes_its_module():
    chosen = random.Random(33).sample(mutants.sample(mutants.all_mutants()), 40)
    for mutant in chosen:
        text = (ROOT / mutant.file).read_text(encoding="utf-8")
        mutated = mutant.apply(text)
        assert ast.dump(ast.parse(mutated)) != ast.dump(ast.parse(text)), mutant.id


def test_ids_stay_when_other_code_in_the_file_moves(tmp_path):
    source = "def f(x):\n    if x > 1:\n        return x + 1\n    return None\n"
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    before = {m.id: m.replacement for m in generate(tmp_path, "m.py")}
    (tmp_path / "m.py").write_text("import os\n\n\n" + source, encoding="utf-8")
    after = {m.id: m.replacement for m in generate(tmp_path, "m.py")}
    assert before == after
    assert {"return None", "(x >= 1)", "(x - 1)", "(not x > 1)", "True", "False",
            "2"} <= set(after.values())


def test_docstrings_logging_and_annotations_are_not_mutated(tmp_path):
    (tmp_path / "m.py").write_text(
        'def f(x: int = 3) -> str:\n    """Why."""\n    logger.info("said %s", x)\n'
        '    return "a"\n', encoding="utf-8")
    replacements = {m.replacement for m in generate(tmp_path, "m.py")}
    assert replacements == {"4", "'XXaXX'"}


def test_every_equivalent_mutant_exists_and_says_why():
    everything = {m.id for found in mutants.all_mutants().values() for m in found}
    for id_, reason in mutants.load_equivalent().items():
        assert id_ in everything, f"{id_}: no such mutant (the code changed): drop or renew it"
        assert len(reason) > 20, id_

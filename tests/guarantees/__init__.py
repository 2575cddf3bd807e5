"""The README's guarantees, one file each, every test failing when its promise breaks
(``tests/mutations.toml`` lists the mutations they must catch)."""

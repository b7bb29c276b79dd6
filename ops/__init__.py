"""Operations: the composition root, the ``campus`` CLI, service scripts and benchmarks."""

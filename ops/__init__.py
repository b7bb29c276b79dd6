"""Operations: the composition root, the ``campus`` CLI, the workers, service scripts and
benchmarks."""

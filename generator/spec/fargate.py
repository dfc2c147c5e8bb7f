"""The CPU / memory combinations AWS Fargate accepts for a task (Linux)."""

from __future__ import annotations

from typing import Final


def _steps(start: int, stop: int, step: int) -> tuple[int, ...]:
    return tuple(range(start, stop + 1, step))


FARGATE_MEMORY_MB: Final[dict[int, tuple[int, ...]]] = {
    256: (512, 1024, 2048),
    512: _steps(1024, 4096, 1024),
    1024: _steps(2048, 8192, 1024),
    2048: _steps(4096, 16384, 1024),
    4096: _steps(8192, 30720, 1024),
    8192: _steps(16384, 61440, 4096),
    16384: _steps(32768, 122880, 8192),
}
FARGATE_CPU: Final = tuple(FARGATE_MEMORY_MB)


def check_cpu(value: int) -> int:
    """Validate a Fargate task CPU value (CPU units, 1024 = 1 vCPU)."""
    if value not in FARGATE_MEMORY_MB:
        allowed = ", ".join(map(str, FARGATE_CPU))
        raise ValueError(f"{value} is not a Fargate CPU size. Allowed: {allowed}")
    return value


def check_memory_for_cpu(cpu: int | None, memory_mb: int) -> int:
    """Validate that `memory_mb` is a Fargate memory size for `cpu` (skipped if cpu is invalid)."""
    if cpu is None or cpu not in FARGATE_MEMORY_MB:
        return memory_mb
    allowed = FARGATE_MEMORY_MB[cpu]
    if memory_mb not in allowed:
        shown = _describe(allowed)
        raise ValueError(
            f"{memory_mb} MB is not a Fargate memory size for cpu={cpu}. "
            f"Allowed with cpu={cpu}: {shown}"
        )
    return memory_mb


def _describe(values: tuple[int, ...]) -> str:
    if len(values) <= 4:
        return ", ".join(map(str, values))
    step = values[1] - values[0]
    return f"{values[0]} to {values[-1]} in steps of {step}"

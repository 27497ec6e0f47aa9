"""Data no one here wrote, mapped into the raw contract: the external accuracy benchmarks."""

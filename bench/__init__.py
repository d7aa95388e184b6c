"""Side-by-side benchmarks of the mock against Prism and a bare Starlette ceiling (`python bench/run.py`)."""
